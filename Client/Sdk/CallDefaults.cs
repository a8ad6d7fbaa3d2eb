using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>The per-call options every wrapped call shares.</summary>
internal sealed class CallDefaults(TimeSpan? timeout)
{
    public CallOptions For(CancellationToken cancellationToken) =>
        new(deadline: timeout is { } t ? DateTime.UtcNow + t : null, cancellationToken: cancellationToken);

    /// <summary>Streams (an export, a follow) last as long as they must: only cancellation ends them.</summary>
    public static CallOptions ForStream(CancellationToken cancellationToken) => new(cancellationToken: cancellationToken);
}
