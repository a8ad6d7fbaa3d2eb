using System.Net;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Interception;
using AgentCluster.Proxy.Pipeline;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AgentCluster.Tests.Unit.Proxy.Pipeline;

public sealed class HttpExchangeTests
{
    [Fact]
    public void A_well_formed_request_has_no_shape_refusal_and_audits_its_path_without_the_query()
    {
        using var exchange = Exchanges.Http("http://api.example.com:8080/v1/items?token=x");
        Assert.Null(exchange.ShapeRefusal());
        var decision = exchange.WithPolicy().Decision(200, 1, 2, "forwarded", "");
        Assert.Equal(("acme", Exchanges.Session, "GET", "api.example.com", 8080, "/v1/items"),
            (decision.Tenant, decision.Session, decision.Method, decision.Host, decision.Port, decision.Path));
    }

    [Fact]
    public void Each_bad_shape_has_its_status_and_reason()
    {
        Assert.Equal((405, "bad-request", "connect-through-http-pipeline"), Shape(Exchanges.Http("http://a.example.com/", "CONNECT")));
        Assert.Equal((400, "bad-request", "bad-target: not an absolute-form http:// request"), Shape(Exchanges.Http("/relative")));
        Assert.Equal((400, "bad-request", "duplicate-authorization"),
            Shape(Exchanges.Http("http://a.example.com/", headers: h => h.Authorization = new(["Bearer a", "Bearer b"]))));
        Assert.Equal((400, "bad-request", "content-length-and-transfer-encoding"), Shape(Exchanges.Http("http://a.example.com/", "POST",
            h => (h.TransferEncoding, h["X-Content-Length"]) = ("chunked", "5"))));
    }

    [Fact]
    public void A_request_with_no_target_is_audited_with_an_empty_host()
    {
        using var exchange = Exchanges.Http("/relative");
        var decision = exchange.Decision(407, 0, 0, "denied", "no-credential");
        Assert.Equal((null, null, "", 0, ""), (decision.Tenant, decision.Session, decision.Host, decision.Port, decision.Path));
    }

    [Fact]
    public void A_request_inside_an_interception_takes_the_connects_credential_source_and_address()
    {
        var connect = new InterceptedTarget(new Authority("api.example.com", 443), new IPEndPoint(IPAddress.Parse("93.184.216.34"), 443),
            "Basic connect", IPAddress.Parse("10.0.0.7"));
        var context = new DefaultHttpContext();
        context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget = "/v1/items";
        context.Features.Set<IConnectionItemsFeature>(new ConnectionItems(connect));
        context.Request.Headers.ProxyAuthorization = "Basic inner";
        context.Request.Headers.Host = "api.example.com";
        using var exchange = HttpExchange.Of(context);
        Assert.Equal(("Basic connect", IPAddress.Parse("10.0.0.7"), connect.Checked), (exchange.ProxyAuthorization.ToString(), exchange.Source, exchange.Endpoint));
        Assert.Equal(new Authority("api.example.com", 443), exchange.Target);
        Assert.Null(exchange.ShapeRefusal());

        context.Request.Headers.Host = "other.example.com";
        Assert.Equal((403, "denied", "host-mismatch"), Shape(exchange));
    }

    private static (int, string, string)? Shape(HttpExchange exchange) =>
        exchange.ShapeRefusal() is { } r ? (r.Status, r.Code, r.Reason) : null;

    private sealed class ConnectionItems(InterceptedTarget target) : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?> { [InterceptedTarget.Key] = target };
    }
}
