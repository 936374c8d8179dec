package dev.herald.api.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /metrics} on the admin port: every meter in Prometheus' text format, or in
 * OpenMetrics when the scraper asks for it ({@code Accept: application/openmetrics-text}).
 */
final class PrometheusScrape extends HttpServlet {

  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final transient PrometheusMeterRegistry registry;

  PrometheusScrape(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String accept = request.getHeader("Accept");
    String contentType =
        accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT;
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(contentType);
    response.setHeader("Cache-Control", "no-store");
    try (OutputStream out = response.getOutputStream()) {
      registry.scrape(out, contentType);
    }
  }
}
