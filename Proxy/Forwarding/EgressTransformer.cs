using Microsoft.AspNetCore.Http.Features;
using System.Net;
using AgentCluster.Proxy.Credentials;
using Yarp.ReverseProxy.Forwarder;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>What the pipeline decided for one request, for the transformer to apply.</summary>
public sealed record ForwardPlan(AbsoluteTarget Target, IPEndPoint Checked, SwapPlan? Swap);

/// <summary>The upstream answered, but not in a way the proxy passes on (set by the transformer); the real reason.</summary>
public sealed record RefusedResponse(string Reason);

/// <summary>
/// Copies the request as it came (YARP drops hop-by-hop headers), minus the proxy's own
/// credential, to the checked endpoint, with a resolved stub swapped for the real header; drops
/// upstream headers that pose as the proxy's, and strips the real secret from what comes back.
/// </summary>
public sealed class EgressTransformer : HttpTransformer
{
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
        if (plan.Swap is { } swap)
        {
            proxyRequest.Headers.Remove(swap.StubHeader);
            foreach (var (name, value) in swap.Inject)
            {
                proxyRequest.Headers.Remove(name);
                proxyRequest.Headers.TryAddWithoutValidation(name, value);
            }
            // Nothing may come back that the strip cannot read whole: no compression (no header at
            // all would let the upstream pick one), no transfer coding, no range that cuts a secret apart.
            proxyRequest.Headers.Remove("Accept-Encoding");
            proxyRequest.Headers.TryAddWithoutValidation("Accept-Encoding", "identity");
            proxyRequest.Headers.Remove("TE");
            proxyRequest.Headers.Remove("Range");
            proxyRequest.Headers.Remove("If-Range");
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var swap = httpContext.Features.GetRequiredFeature<ForwardPlan>().Swap;
        if (swap is not null && proxyResponse is not null)
        {
            if (SecretStrip.Unreadable(proxyResponse, httpContext.Request.Method) is { } unreadable)
            {
                httpContext.Features.Set(new RefusedResponse(unreadable));
                await ProxyResponses.Refuse(httpContext, StatusCodes.Status502BadGateway, "upstream-refused");
                return false;
            }
            await SecretStrip.StripBody(proxyResponse, swap, cancellationToken);
        }
        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        httpContext.Response.Headers.Remove(ProxyResponses.Header);
        if (swap is not null)
            SecretStrip.StripHeaders(httpContext.Response.Headers, swap);
        return copy;
    }
}
