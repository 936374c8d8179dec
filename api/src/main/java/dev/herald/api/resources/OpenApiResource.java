package dev.herald.api.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code /v1/openapi.yaml}: the OpenAPI document of this API, without authentication. */
@Path("/v1/openapi.yaml")
public final class OpenApiResource {

  public static final String MEDIA_TYPE = "application/yaml";

  /** Where the build puts a copy of {@code docs/openapi.yaml}. */
  static final String LOCATION = "/dev/herald/api/openapi.yaml";

  private final byte[] document;

  private OpenApiResource(byte[] document) {
    this.document = document;
  }

  /** Reads the document once; a build without it fails here, at start. */
  public static OpenApiResource fromClasspath() {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(LOCATION)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document is not on the classpath at " + LOCATION);
      }
      return new OpenApiResource(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Produces(MEDIA_TYPE)
  public byte[] get() {
    return document.clone();
  }
}
