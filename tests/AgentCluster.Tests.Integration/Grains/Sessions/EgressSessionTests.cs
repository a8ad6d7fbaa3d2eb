using AgentCluster.Api.V1;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Proxy;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Sessions;

/// <summary>The session's side of egress: its proxy credential, the grain the proxy asks, and the allowlist API.</summary>
public sealed class EgressSessionTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Fact]
    public async Task Each_sandbox_gets_its_own_proxy_url_on_its_networks_gateway_and_only_the_hash_is_stored()
    {
        var first = await node.NewSession("api.example.com");
        var second = await node.NewSession();

        Assert.NotEqual(first.Secret, second.Secret);
        var url = new Uri(first.ProxyUrl);
        Assert.Equal(node.ProxyPort, url.Port);
        Assert.EndsWith(".1", url.Host, StringComparison.Ordinal);
        Assert.StartsWith(string.Join('.', first.Session.ContainerIp.Split('.')[..3]) + ".", url.Host, StringComparison.Ordinal);

        var cells = await BrokerAudit.EveryCell(node.DataDir);
        Assert.DoesNotContain(cells, c => c.Contains(first.Secret, StringComparison.Ordinal) || c.Contains(second.Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(first.Secret, node.Silo.Output.Tail(10_000), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_grain_answers_only_the_right_secret_of_a_live_session()
    {
        var session = await node.NewSession("api.example.com:8443", "*.pypi.org");
        var grain = node.Grains.GetGrain<ISessionGrain>(session.Id);

        var policy = await grain.AuthorizeEgress(ProxyCredentials.Hash(session.Secret));
        Assert.NotNull(policy);
        Assert.Equal(node.Tenant, policy.Tenant);
        Assert.Equal(["api.example.com:8443", "*.pypi.org"], policy.AllowHosts.ToArray());
        Assert.Equal(session.Session.ContainerIp, policy.ContainerIp);
        Assert.Null(await grain.AuthorizeEgress(ProxyCredentials.Hash(session.Secret + "x")));
        Assert.Null(await grain.AuthorizeEgress(""));
        Assert.Null(await node.Grains.GetGrain<ISessionGrain>(SessionIds.New()).AuthorizeEgress(ProxyCredentials.Hash(session.Secret)));

        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        Assert.Null(await grain.AuthorizeEgress(ProxyCredentials.Hash(session.Secret)));
    }

    [Fact]
    public async Task Bad_allowlist_changes_are_refused_whole_and_change_nothing()
    {
        var session = await node.NewSession("api.example.com");
        foreach (var bad in new[] { "a.example.com:0", "a.example.com:65536", "*.com", "exa mple.com", "http://x.example.com", "[::1" })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => node.Admin.Sessions.ChangeAllowHostsAsync(
                new ChangeAllowHostsRequest { Id = session.Id, Allow = { "ok.example.com", bad } }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }
        var empty = await Assert.ThrowsAsync<RpcException>(() =>
            node.Admin.Sessions.ChangeAllowHostsAsync(new ChangeAllowHostsRequest { Id = session.Id }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => node.Admin.Sessions.ChangeAllowHostsAsync(
            new ChangeAllowHostsRequest { Id = SessionIds.New(), Allow = { "ok.example.com" } }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        var after = await node.Admin.Sessions.GetSessionAsync(new GetSessionRequest { Id = session.Id });
        Assert.Equal(["api.example.com"], after.AllowHosts);
    }

    [Fact]
    public async Task Allow_and_deny_store_canonical_entries_and_deny_by_host_takes_every_port()
    {
        var session = await node.NewSession("API.Example.com.");
        Assert.Equal(["api.example.com"], session.Session.AllowHosts);

        var changed = await node.Admin.Sessions.ChangeAllowHostsAsync(new ChangeAllowHostsRequest
        {
            Id = session.Id, Allow = { "api.example.com:8443", "münchen.de", "*.Files.Example.com:9000" },
        });
        Assert.Equal(["api.example.com", "api.example.com:8443", "xn--mnchen-3ya.de", "*.files.example.com:9000"], changed.AllowHosts);

        changed = await node.Admin.Sessions.ChangeAllowHostsAsync(new ChangeAllowHostsRequest
        {
            Id = session.Id, Deny = { "api.example.com", "*.files.example.com:9000" },
        });
        Assert.Equal(["xn--mnchen-3ya.de"], changed.AllowHosts);
    }
}
