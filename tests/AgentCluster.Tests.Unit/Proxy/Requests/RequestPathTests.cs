using AgentCluster.Proxy.Requests;

namespace AgentCluster.Tests.Unit.Proxy.Requests;

public sealed class RequestPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/v1/charges", "/v1/charges")]
    [InlineData("/v1/charges/", "/v1/charges/")]
    [InlineData("/v1/x/../charges", "/v1/charges")]
    [InlineData("/v1/./charges", "/v1/charges")]
    [InlineData("/v1/x/%2E%2E/charges", "/v1/charges")]
    [InlineData("/v1/x/%2e%2e/charges", "/v1/charges")]
    [InlineData("/v1/%2E/charges", "/v1/charges")]
    [InlineData("/v1/%63harges", "/v1/charges")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/.", "/a/")]
    [InlineData("/a/..", "/")]
    [InlineData("/a%20b/%7euser", "/a%20b/~user")]
    [InlineData("/a%3ab", "/a%3Ab")]
    [InlineData("/files/a.b..c", "/files/a.b..c")]
    public void Equivalent_spellings_become_one_path(string raw, string canonical)
    {
        Assert.Equal(canonical, RequestPath.Canonical(raw, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("/v1%2Fcharges", "path-encoded-separator")]
    [InlineData("/v1%2fcharges", "path-encoded-separator")]
    [InlineData("/v1%5Ccharges", "path-encoded-separator")]
    [InlineData("/v1\\charges", "path-backslash")]
    [InlineData("//v1/charges", "path-empty-segment")]
    [InlineData("/v1//charges", "path-empty-segment")]
    [InlineData("/../v1/charges", "path-above-root")]
    [InlineData("/%2e%2e/v1/charges", "path-above-root")]
    [InlineData("/a/../../b", "path-above-root")]
    [InlineData("/v1%2", "path-bad-escape")]
    [InlineData("/v1%zz", "path-bad-escape")]
    [InlineData("v1/charges", "path-not-absolute")]
    public void A_path_servers_read_differently_is_refused(string raw, string reason)
    {
        Assert.Null(RequestPath.Canonical(raw, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void The_rules_read_the_canonical_path_decoded_once()
    {
        Assert.Equal("/a b/c:d", RequestPath.ForRules("/a%20b/c%3Ad"));
        // A doubly encoded slash stays a character, never a separator.
        Assert.Equal("/a%2Fb", RequestPath.ForRules("/a%252Fb"));
    }
}
