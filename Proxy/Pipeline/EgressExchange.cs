using System.Diagnostics;
using System.Net;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Audit;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Pipeline;

/// <summary>
/// One way out being asked for, a request or a CONNECT, and what the steps have found out about it
/// so far. Disposing it gives back the session's slot that <see cref="Steps.LimitsStep"/> took.
/// </summary>
public abstract class EgressExchange(string method, Authority? target, string path, StringValues proxyAuthorization,
    IPAddress? source, long started, CancellationToken aborted) : IDisposable
{
    private IDisposable? _slot;

    public string Method => method;

    /// <summary>Null only when the request names no usable target, which <see cref="Steps.ShapeStep"/> refuses.</summary>
    public Authority? Target => target;

    public StringValues ProxyAuthorization => proxyAuthorization;

    /// <summary>The address the client connected from (for an intercepted request, the CONNECT's).</summary>
    public IPAddress? Source => source;

    public CancellationToken Aborted => aborted;

    /// <summary>The live session's policy, once <see cref="Steps.IdentityStep"/> has passed.</summary>
    public EgressPolicy? Policy { get; set; }

    /// <summary>Where the exchange may go: the address the guard checked (inside an interception, the CONNECT's).</summary>
    public IPEndPoint? Endpoint { get; set; }

    /// <summary>The policy, for a step that runs after identity. Asked for before, it is a bug, and nothing goes out.</summary>
    public EgressPolicy Session => Policy ?? throw new InvalidOperationException("an egress step ran before identity");

    /// <summary>The target, for a step that runs after the shape check.</summary>
    public Authority RequiredTarget => target ?? throw new InvalidOperationException("an egress step ran before the shape check");

    /// <summary>What is wrong with the exchange's shape, read without any I/O; null when nothing is.</summary>
    public abstract EgressRefusal? ShapeRefusal();

    /// <summary>Writes the refusal to the client, as this kind of exchange answers.</summary>
    public abstract Task Answer(EgressRefusal refusal);

    public void Hold(IDisposable slot) => _slot = slot;

    /// <summary>The audit row of this exchange; the reason is the real one, never what the sandbox saw.</summary>
    public EgressDecision Decision(int status, long bytesIn, long bytesOut, string decision, string reason) =>
        new(Policy?.Tenant, Policy?.SessionId, method, target?.Host ?? "", target?.Port ?? 0, path,
            status, bytesIn, bytesOut, Stopwatch.GetElapsedTime(started), decision, reason) { Source = source };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slot?.Dispose();
            _slot = null;
        }
    }
}
