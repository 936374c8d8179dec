package dev.herald.worker.e2e;

import dev.herald.core.tenant.Scope;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Herald for a test class and, for each test, a tenant of its own (an API key with every
 * scope) and a loopback receiver that answers 204 unless told otherwise. Register it as a static
 * field with {@code @RegisterExtension}.
 */
final class ReceivingTenant
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final String prefix;
  private HeraldHarness herald;
  private LoopbackReceiver receiver;
  private String key;
  private int tenants;

  ReceivingTenant(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    herald = new HeraldHarness();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    herald.close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    key = herald.newTenantKey(prefix + "-" + ++tenants, null, Scope.all());
    receiver = LoopbackReceiver.start();
    receiver.setDefault(ReceiverResponse.status(204));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    receiver.close();
  }

  HeraldHarness herald() {
    return herald;
  }

  LoopbackReceiver receiver() {
    return receiver;
  }

  /** This test's tenant's API key. */
  String key() {
    return key;
  }

  /** A request with this test's tenant's key, with a JSON body when there is one. */
  HeraldHarness.Response call(String method, String path, String body) throws Exception {
    return herald.call(method, path, body, key, body == null ? null : "application/json");
  }
}
