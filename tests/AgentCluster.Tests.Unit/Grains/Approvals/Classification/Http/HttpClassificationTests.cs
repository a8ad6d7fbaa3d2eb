using System.Text.Json;
using AgentCluster.Grains.Approvals.Classification;
using AgentCluster.Grains.Approvals.Classification.Http;
using static AgentCluster.Grains.Approvals.RiskLevel;
using RiskLevel = AgentCluster.Grains.Approvals.RiskLevel;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification.Http;

public sealed class HttpClassificationTests
{
    private static readonly ActionClassifier Classifier = Classifiers.Build(o => o.Http.Rules.AddRange(
    [
        new HttpRule { Host = "api.example.com", PathPrefix = "/v1/refunds", Methods = ["POST"], Risk = RecoverableWithAudit },
        new HttpRule { Host = "*.internal.example", PathPrefix = "/", Risk = Reversible },
        new HttpRule { Host = "*.internal.example", PathPrefix = "/admin/", Risk = Irreversible },
    ]));

    private static RiskLevel Classify(string method, string url, object? headers = null)
    {
        var payload = JsonSerializer.Serialize(headers is null ? new { method, url } : (object)new { method, url, headers });
        return Classifier.Classify("http.request", payload).Risk;
    }

    [Theory]
    [InlineData("GET", "https://example.com/", Reversible)]
    [InlineData("get", "https://example.com/a?b=c", Reversible)]
    [InlineData("HEAD", "http://example.com", Reversible)]
    [InlineData("Options", "https://example.com/x", Reversible)]
    [InlineData("POST", "https://example.com/", Irreversible)]
    [InlineData("DELETE", "https://example.com/x", Irreversible)]
    [InlineData("PATCH", "https://example.com/x", Irreversible)]
    [InlineData("PURGE", "https://example.com/x", Irreversible)]
    // Odd methods.
    [InlineData("", "https://example.com/", Irreversible)]
    [InlineData("G ET", "https://example.com/", Irreversible)]
    [InlineData("GET\n", "https://example.com/", Irreversible)]
    [InlineData("GET;", "https://example.com/", Irreversible)]
    [InlineData("G\u00C9T", "https://example.com/", Irreversible)]
    // Unparseable or ambiguous URLs, whatever the method.
    [InlineData("GET", "not a url", Irreversible)]
    [InlineData("GET", "/relative/path", Irreversible)]
    [InlineData("GET", "ftp://example.com/file", Irreversible)]
    [InlineData("GET", "https://user:pw@example.com/", Irreversible)]
    [InlineData("GET", "https://example.com\\@evil.example/", Irreversible)]
    [InlineData("GET", "https://exa mple.com/", Irreversible)]
    [InlineData("GET", "https://ex%61mple.com/", Irreversible)]
    [InlineData("GET", "", Irreversible)]
    [InlineData("GET", "https://example.com/?_method=DELETE", Irreversible)]
    // Host and path rules for the other methods.
    [InlineData("POST", "https://api.example.com/v1/refunds", RecoverableWithAudit)]
    [InlineData("POST", "https://api.example.com/v1/refunds/re_123?expand=charge", RecoverableWithAudit)]
    [InlineData("post", "https://API.Example.COM./v1/refunds", RecoverableWithAudit)]
    [InlineData("POST", "https://api.example.com/v1/refunds-all", Irreversible)]
    [InlineData("POST", "https://api.example.com/v1/charges", Irreversible)]
    [InlineData("DELETE", "https://api.example.com/v1/refunds", Irreversible)]
    [InlineData("POST", "https://evil.example/v1/refunds", Irreversible)]
    [InlineData("POST", "https://api.example.com.evil.example/v1/refunds", Irreversible)]
    [InlineData("POST", "https://api.example.com/v1/refunds/../charges", Irreversible)]
    [InlineData("POST", "https://api.example.com/v1/refunds/%2e%2e/charges", Irreversible)]
    [InlineData("POST", "https://api.example.com/v1/refunds;x=1", Irreversible)]
    [InlineData("POST", "https://api.example.com/v1/refunds?_method=DELETE", Irreversible)]
    [InlineData("PUT", "https://svc.internal.example/items/1", Reversible)]
    [InlineData("PUT", "https://a.b.svc.internal.example:8443/items", Reversible)]
    [InlineData("PUT", "https://internal.example/items", Irreversible)]
    [InlineData("PUT", "https://svc.internal.example/admin/users", Irreversible)]
    [InlineData("PUT", "https://svc.internal.example/ADMIN/users", Irreversible)]
    [InlineData("PUT", "https://svc.internal.example/%61dmin/users", Irreversible)]
    [InlineData("PUT", "https://svc.internal.example//admin/users", Irreversible)]
    public void Safe_methods_pass_and_the_rest_follow_the_rules(string method, string url, RiskLevel expected) =>
        Assert.Equal(expected, Classify(method, url));

    [Fact]
    public void A_method_override_header_makes_a_get_irreversible()
    {
        Assert.Equal(Irreversible, Classify("GET", "https://example.com/x", new Dictionary<string, string> { ["X-HTTP-Method-Override"] = "DELETE" }));
        Assert.Equal(Irreversible, Classify("GET", "https://example.com/x", new[] { "X-HTTP-Method-Override: DELETE" }));
        Assert.Equal(Reversible, Classify("GET", "https://example.com/x", new Dictionary<string, string> { ["Accept"] = "text/html" }));
    }

    [Theory]
    [InlineData("{\"url\": \"https://example.com/\"}")]
    [InlineData("{\"method\": \"GET\"}")]
    [InlineData("{\"method\": [\"GET\"], \"url\": \"https://example.com/\"}")]
    [InlineData("{\"method\": \"GET\", \"url\": 42}")]
    [InlineData("{\"method\": \"GET\", \"url\": \"https://example.com/\", \"Method\": \"POST\"}")]
    public void A_malformed_payload_is_irreversible(string payload) =>
        Assert.Equal(Irreversible, Classifier.Classify("http.request", payload).Risk);
}
