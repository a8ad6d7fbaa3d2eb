using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>The per-call options every wrapped call shares.</summary>
internal sealed class CallDefaults(TimeSpan? timeout)
{
    public CallOptions For(CancellationToken cancellationToken) =>
        new(deadline: timeout is { } t ? DateTime.UtcNow + t : null, cancellationToken: cancellationToken);
}
