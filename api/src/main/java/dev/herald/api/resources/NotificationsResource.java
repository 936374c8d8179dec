package dev.herald.api.resources;

import dev.herald.api.auth.RequiresScope;
import dev.herald.api.errors.FieldError;
import dev.herald.api.errors.ProblemException;
import dev.herald.api.views.NotificationView;
import dev.herald.api.views.Page;
import dev.herald.api.views.PageRequest;
import dev.herald.core.db.Position;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationDao;
import dev.herald.core.notification.NotificationFilter;
import dev.herald.core.tenant.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** {@code /v1/notifications}: what the tenant was told about its subscriptions, newest first. */
@Path("/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
public final class NotificationsResource {

  private static final Pattern SUBSCRIPTION_ID = Pattern.compile("sub_[0-9a-z]{1,64}");

  private final NotificationDao notifications;

  public NotificationsResource(NotificationDao notifications) {
    this.notifications = notifications;
  }

  /** Optionally only those about one subscription, or of one type. */
  @GET
  @RequiresScope(Scope.WEBHOOKS_READ)
  public Page<NotificationView> list(
      @Context SecurityContext security,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor,
      @QueryParam("subscriptionId") String subscriptionId,
      @QueryParam("type") String type) {
    List<FieldError> errors = new ArrayList<>();
    PageRequest page = PageRequest.parse(limit, cursor, errors);
    if (subscriptionId != null && !SUBSCRIPTION_ID.matcher(subscriptionId).matches()) {
      errors.add(FieldError.parameter("subscriptionId", "is not a subscription id"));
    }
    if (type != null && !Notification.TYPES.contains(type)) {
      errors.add(FieldError.parameter(
          "type", "must be one of " + String.join(", ", new TreeSet<>(Notification.TYPES))));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    var fetched =
        notifications.list(Callers.of(security).tenantId(),
            new NotificationFilter(subscriptionId, type), page.after(), page.limit() + 1);
    Page<Notification> rows = page.page(fetched, n -> new Position(n.createdAt(), n.id()));
    return new Page<>(rows.data().stream().map(NotificationView::of).toList(), rows.nextCursor());
  }
}
