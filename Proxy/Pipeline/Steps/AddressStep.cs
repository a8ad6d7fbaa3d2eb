using AgentCluster.Proxy.Egress.Addresses;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// The address guard: resolves the target itself and keeps an address it allows, which is the
/// only one the exchange may then connect to (no second lookup, no DNS rebinding).
/// </summary>
public sealed class AddressStep(TargetResolver resolver) : IEgressStep
{
    public async ValueTask<EgressRefusal?> Check(EgressExchange exchange)
    {
        // Inside an interception the address is the one the CONNECT was checked for: it stays.
        if (exchange.Endpoint is not null)
            return null;
        var checkedTarget = await resolver.Check(exchange.RequiredTarget, exchange.Aborted);
        exchange.Endpoint = checkedTarget.Endpoint;
        return checkedTarget.Endpoint is null ? EgressRefusal.Denied("address-" + checkedTarget.Refusal) : null;
    }
}
