using Microsoft.AspNetCore.Http.Features;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>What the pipeline decided for one request, for the transformer to apply.</summary>
public sealed record ForwardPlan(AbsoluteTarget Target, IPEndPoint Checked);

/// <summary>
/// Copies the request as it came (YARP drops hop-by-hop headers), minus the proxy's own
/// credential, to the checked endpoint; drops upstream headers that pose as the proxy's.
/// </summary>
public sealed class EgressTransformer : HttpTransformer
{
    public static readonly EgressTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var plan = httpContext.Features.GetRequiredFeature<ForwardPlan>();
        proxyRequest.Headers.Remove("Proxy-Authorization");
        proxyRequest.Headers.Remove("Proxy-Connection");
        proxyRequest.RequestUri = plan.Target.Uri;
        proxyRequest.Headers.Host = null;
        proxyRequest.Options.Set(CheckedConnections.Target, plan.Checked);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        httpContext.Response.Headers.Remove(ProxyResponses.Header);
        return copy;
    }
}
