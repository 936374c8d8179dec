package dev.herald.api.errors;

import java.util.List;

/** Thrown anywhere in a request to answer with a problem document. */
public final class ProblemException extends RuntimeException {

  private final Problem problem;

  public ProblemException(Problem problem) {
    super(problem.detail());
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public static ProblemException notFound(String what, String id) {
    return new ProblemException(
        Problem.of(404, "not_found", "Not found", "no " + what + " with id " + id));
  }

  public static ProblemException invalid(List<FieldError> errors) {
    Problem base = Problem.of(422, "invalid_request", "Invalid request", summary(errors));
    return new ProblemException(
        new Problem(base.type(), base.title(), 422, base.detail(), "invalid_request", List.copyOf(errors), null));
  }

  /** A 422 whose code is more precise than {@code invalid_request}, e.g. {@code invalid_url}. */
  public static ProblemException invalid(String code, FieldError error) {
    Problem base = Problem.of(422, code, "Invalid request", error.location() + ": " + error.message());
    return new ProblemException(
        new Problem(base.type(), base.title(), 422, base.detail(), code, List.of(error), null));
  }

  /**
   * 410 {@code purged}: what the client asked for was removed by retention; {@code nextCursor}
   * is where the event feed goes on.
   */
  public static ProblemException purged(String detail, String nextCursor) {
    Problem base = Problem.of(410, "purged", "Gone", detail);
    return new ProblemException(
        new Problem(base.type(), base.title(), 410, detail, "purged", null, nextCursor));
  }

  private static String summary(List<FieldError> errors) {
    return errors.size() == 1
        ? errors.get(0).location() + ": " + errors.get(0).message()
        : errors.size() + " parts of the request are invalid; see errors";
  }
}
