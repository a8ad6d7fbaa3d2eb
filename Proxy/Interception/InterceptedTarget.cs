using System.Net;
using AgentCluster.Grains.Egress;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Interception;

/// <summary>
/// What an intercepted CONNECT hands to the requests inside it, through the connection's items:
/// the checked target and address, and the credential and source to re-check the session with
/// on every request (a killed session stops at once, even inside an open connection).
/// </summary>
public sealed record InterceptedTarget(Authority Target, IPEndPoint Checked, StringValues ProxyAuthorization, IPAddress? Source)
{
    public const string Key = "agentcluster.egress.intercepted";

    /// <summary>The key never reaches a log.</summary>
    public override string ToString() => $"intercepted {Target}";

    public static InterceptedTarget? Of(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items
            .TryGetValue(Key, out var value) == true ? value as InterceptedTarget : null;
}
