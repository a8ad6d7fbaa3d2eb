using Microsoft.AspNetCore.Connections.Features;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// After the credential step: a protocol upgrade (WebSocket, h2c) turns the connection into a
/// byte pipe that no strip reads, so it is refused when the request carries a swapped secret, or
/// when its client connection already carried one (the upstream has seen the secret and could
/// send it back through the pipe). A CONNECT passes; its requests are each checked here.
/// </summary>
public sealed class UpgradeStep : IEgressStep
{
    public const string CarriedSecret = "agentcluster.egress.carried-secret";

    public ValueTask<EgressRefusal?> Check(EgressExchange exchange)
    {
        if (exchange is not HttpExchange http)
            return ValueTask.FromResult<EgressRefusal?>(null);
        var items = http.Context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (http.Swap is not null && items is not null)
            items[CarriedSecret] = true;
        var carried = http.Swap is not null || items?.ContainsKey(CarriedSecret) == true;
        return ValueTask.FromResult(carried && IsUpgrade(http.Context.Request)
            ? EgressRefusal.Denied(http.Swap is not null ? "upgrade-with-swapped-secret" : "upgrade-after-swapped-secret")
            : null);
    }

    private static bool IsUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.Count > 0
        || request.Headers.Connection.Any(v => v?.Contains("upgrade", StringComparison.OrdinalIgnoreCase) == true);
}
