package dev.herald.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** A body that is not JSON, or not JSON of the right shape. */
public final class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {

  @Override
  public Response toResponse(JsonProcessingException e) {
    String where =
        e.getLocation() == null
            ? ""
            : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    return ProblemResponses.of(
        Problem.of(400, "invalid_json", "Malformed JSON", "the request body is not valid JSON" + where));
  }
}
