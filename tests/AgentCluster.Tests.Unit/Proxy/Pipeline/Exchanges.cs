using System.Diagnostics;
using System.Net;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Pipeline;
using AgentCluster.Proxy.Tunnel;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Tests.Unit.Proxy.Pipeline;

/// <summary>Exchanges and policies for the pipeline's tests, with no connection and no cluster behind them.</summary>
internal static class Exchanges
{
    public const string Session = "ses_0123456789abcdef0123456789abcdef";

    public static EgressPolicy Policy(params string[] allow) => new(Session, "acme", [.. allow], "10.0.0.7");

    /// <summary>An absolute-form request as Kestrel would hand it over.</summary>
    public static HttpExchange Http(string rawTarget, string method = "GET", Action<IHeaderDictionary>? headers = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget = rawTarget;
        headers?.Invoke(context.Request.Headers);
        return HttpExchange.Of(context);
    }

    public static ConnectExchange Connect(string target, StringValues credential = default) =>
        new(new ConnectHead(Authority.Parse(target, 0, out _) ?? throw new ArgumentException(target), credential), null, credential, IPAddress.Loopback,
            new System.IO.Pipelines.Pipe().Writer, Stopwatch.GetTimestamp(), CancellationToken.None);

    public static T WithPolicy<T>(this T exchange, EgressPolicy? policy = null) where T : EgressExchange
    {
        exchange.Policy = policy ?? Policy("api.example.com");
        return exchange;
    }
}
