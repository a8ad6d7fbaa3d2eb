using AgentCluster.Proxy.Egress;
using Yarp.ReverseProxy.Forwarder;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>The forward itself, through YARP: HTTP/1.1 framing, hop-by-hop headers and streaming are its job.</summary>
public sealed class EgressForward(IHttpForwarder forwarder, HttpMessageInvoker client, EgressOptions options)
{
    private readonly ForwarderRequestConfig _config = new()
    {
        ActivityTimeout = options.UpstreamActivityTimeout,
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private readonly EgressTransformer _transformer = new();

    /// <summary>The forwarder's error (null when the upstream answered) and the body bytes each way.</summary>
    public async Task<(string? Error, long BytesIn, long BytesOut)> Send(HttpContext context, ForwardPlan plan)
    {
        context.Features.Set(plan);
        var requestBody = new CountingStream(context.Request.Body);
        var responseBody = new CountingStream(context.Response.Body);
        context.Request.Body = requestBody;
        context.Response.Body = responseBody;
        var error = await forwarder.SendAsync(context, plan.Target.Scheme + "://" + plan.Target.Authority, client, _config, _transformer);
        if (error != ForwarderError.None && !context.Response.HasStarted)
            context.Response.Headers[ProxyResponses.Header] = "upstream-failed";
        var refused = context.Features.Get<RefusedResponse>()?.Reason;
        return (refused ?? (error == ForwarderError.None ? null : "upstream-" + error), requestBody.Count, responseBody.Count);
    }
}
