using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Forwarding;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// Reads a request's whole body before the steps that look into it. A CONNECT has no body of its
/// own: an intercepted one's requests each run this step themselves, and a blind tunnel's bytes
/// are never read, so there is nothing to check and it passes.
/// </summary>
public sealed class BodyStep(EgressOptions options) : IEgressStep
{
    public async ValueTask<EgressRefusal?> Check(EgressExchange exchange) =>
        exchange is HttpExchange http && await RequestBody.Buffer(http.Context, options.MaxRequestBodyBytes) is { } error
            ? new(error.Status, "bad-request", error.Reason)
            : null;
}
