package dev.herald.core.signing;

/** One header that a signature scheme adds to an attempt. */
public record SignatureHeader(String name, String value) {}
