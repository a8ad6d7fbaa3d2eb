using System.Text.Json;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Pipeline;

/// <summary>
/// One path for the rules and for the wire: the proxy's rule names everything under
/// <see cref="EgressNodeFixture.ChargePath"/> a charge, so a spelling that reaches it on the
/// upstream must also be named a charge (and held), or be refused before anything goes out.
/// </summary>
public sealed class CanonicalPathTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Theory]
    [InlineData("encoded-slash", "/v1%2Fsecret/a")]
    [InlineData("encoded-slash-lower-case", "/v1%2fsecret/a")]
    [InlineData("encoded-backslash", "/v1%5Csecret/a")]
    [InlineData("backslash", "/v1\\secret/a")]
    [InlineData("leading-double-slash", "//v1/secret/a")]
    [InlineData("inner-double-slash", "/v1//secret/a")]
    [InlineData("above-the-root", "/../v1/secret/a")]
    [InlineData("encoded-above-the-root", "/%2e%2e/v1/secret/a")]
    public async Task A_path_servers_read_differently_is_refused_with_400_and_nothing_goes_out(string form, string path)
    {
        var session = await node.Shared;
        var before = (node.Upstream.Connections, node.Upstream.Requests.Count);

        var response = await node.Send(session, "GET", path);

        Assert.True(response.Status == 400, $"{form}: {response.Text}");
        Assert.Equal(before, (node.Upstream.Connections, node.Upstream.Requests.Count));
    }

    [Theory]
    [InlineData("dot-dot", "/v1/x/../secret/a")]
    [InlineData("dot", "/v1/./secret/a")]
    [InlineData("encoded-dot-dot", "/v1/x/%2E%2E/secret/a")]
    [InlineData("encoded-dot-dot-lower-case", "/v1/x/%2e%2e/secret/a")]
    [InlineData("encoded-dot", "/v1/%2E/secret/a")]
    [InlineData("encoded-letter", "/v1/%73ecret/a")]
    public async Task A_spelling_of_a_ruled_path_is_named_by_the_rule_on_its_canonical_path(string form, string path)
    {
        using var approver = await node.Approver(TimeSpan.FromSeconds(60));
        var session = await node.NewSession($"127.0.0.1:{node.Upstream.Port}");
        var before = node.Upstream.Requests.Count;

        var sending = node.Send(session, "GET", path);
        var held = await EgressNodeFixture.Pending(approver, session.Id);
        using (var payload = JsonDocument.Parse(held.RedactedPayload))
        {
            Assert.True(held.Action == "stripe.charge", $"{form}: {held.Action}");
            Assert.Equal($"http://127.0.0.1:{node.Upstream.Port}/v1/secret/a", payload.RootElement.GetProperty("url").GetString());
        }
        await approver.Approvals.DenyAsync(new Api.V1.DecideRequest { Id = held.Id, Note = "no" });

        Assert.Equal(403, (await sending).Status);
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    [Theory]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/a/%2E%2E/c/%7Euser", "/c/~user")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a%20b/c?x=%2F..%2F", "/a%20b/c?x=%2F..%2F")]
    public async Task What_is_forwarded_is_the_canonical_path_the_rules_saw(string sent, string forwarded)
    {
        var session = await node.Shared;
        var before = node.Upstream.Requests.Count;

        Assert.Equal(200, (await node.Send(session, "GET", sent)).Status);

        Assert.Equal($"GET {forwarded} HTTP/1.1", Assert.Single(node.Upstream.Requests.Skip(before)).RequestLine);
    }
}
