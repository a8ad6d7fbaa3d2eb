using AgentCluster.Proxy.Approvals;

namespace AgentCluster.Tests.Unit.Proxy.Approvals;

public sealed class HttpActionRuleTests
{
    private static readonly HttpActionRules Rules = new(
    [
        new HttpActionRule { Method = "DELETE", Host = "*.example.com", Path = "/repos/*/branches/**", Action = "git.delete_branch" },
        new HttpActionRule { Method = "*", Host = "mail.example.org", Path = "/send", Action = "email.send_to_customer" },
        .. HttpGateOptions.BuiltIn,
    ]);

    [Theory]
    [InlineData("POST", "api.stripe.com", "/v1/charges", "stripe.charge")]
    [InlineData("post", "API.Stripe.com.", "/V1/Charges/", "stripe.charge")]
    [InlineData("POST", "api.stripe.com", "/v1/payment_intents/pi_1/confirm", "stripe.charge")]
    [InlineData("POST", "api.stripe.com", "/v1/refunds", "stripe.refund")]
    [InlineData("GET", "api.stripe.com", "/v1/charges", "http.request")]
    [InlineData("POST", "api.stripe.com", "/v1/charges/ch_1/capture", "http.request")]
    [InlineData("POST", "api.stripe.com.evil.test", "/v1/charges", "http.request")]
    [InlineData("DELETE", "git.example.com", "/repos/app/branches/main", "git.delete_branch")]
    [InlineData("DELETE", "git.example.com", "/repos/app/branches/feature/x", "git.delete_branch")]
    [InlineData("DELETE", "example.com", "/repos/app/branches/main", "http.request")]
    [InlineData("DELETE", "git.example.com", "/repos/a/b/branches/main", "http.request")]
    [InlineData("PUT", "mail.example.org", "/send", "email.send_to_customer")]
    [InlineData("PUT", "mail.example.org", "/sendall", "http.request")]
    [InlineData("PUT", "mail.example.org", "", "http.request")]
    public void A_request_is_the_first_rule_that_matches_it_or_the_generic_http_request(string method, string host, string path, string action) =>
        Assert.Equal(action, Rules.ActionFor(method, host, path));

    [Theory]
    [InlineData("", "/x")]
    [InlineData("a.b", "no-slash")]
    public void A_rule_without_an_action_or_with_a_relative_path_fails_the_start(string action, string path) =>
        Assert.Throws<InvalidOperationException>(() => new HttpActionRules([new HttpActionRule { Action = action, Path = path }]));
}
