using System.IO.Pipelines;
using System.Net;
using AgentCluster.Proxy.Pipeline;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Tunnel;

/// <summary>
/// A <c>CONNECT</c> as the egress steps see it: its head (null when it did not parse), the credential
/// read from it either way, and the raw connection its refusals are written to.
/// </summary>
public sealed class ConnectExchange(ConnectHead? head, string? headError, StringValues proxyAuthorization, IPAddress? source,
    PipeWriter output, long started, CancellationToken closed)
    : EgressExchange("CONNECT", head?.Target, "", proxyAuthorization, source, started, closed)
{
    public override EgressRefusal? ShapeRefusal() => head is null ? EgressRefusal.BadRequest("bad-connect: " + headError) : null;

    public override Task Answer(EgressRefusal refusal) =>
        TunnelResponses.Refuse(output, refusal.Status, ReasonPhrases.GetReasonPhrase(refusal.Status), refusal.Code);
}
