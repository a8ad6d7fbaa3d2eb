using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;

namespace AgentCluster.Tests.Cluster.Grains.Egress;

[Collection(ClusterCollection.Name)]
public sealed class PooledCredentialGrainTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Later = DateTimeOffset.UtcNow.AddMinutes(10);

    private IPooledCredentialGrain Credential(string id) => fixture.Grains.GetGrain<IPooledCredentialGrain>(id);

    [Fact]
    public async Task Opens_nothing_before_its_claim_and_binds_to_the_first_claimant_only()
    {
        var id = PooledCredentials.NewId();
        Assert.True(await Credential(id).Issue("hash-1", Later));
        Assert.Null(await Credential(id).BoundSession());

        var (first, second) = (SessionIds.New(), SessionIds.New());
        Assert.Equal("hash-1", await Credential(id).Bind(first, "acme"));
        Assert.Equal(first, await Credential(id).BoundSession());
        Assert.Null(await Credential(id).Bind(second, "acme"));
        Assert.Null(await Credential(id).Bind(second, "other-tenant"));
        Assert.Null(await Credential(id).Bind(first, "acme"));
        Assert.Equal(first, await Credential(id).BoundSession());
    }

    [Fact]
    public async Task Concurrent_claims_bind_it_to_exactly_one_session()
    {
        var id = PooledCredentials.NewId();
        Assert.True(await Credential(id).Issue("hash-2", Later));
        var sessions = Enumerable.Range(0, 16).Select(_ => SessionIds.New()).ToList();
        var answers = await Task.WhenAll(sessions.Select((s, i) => Credential(id).Bind(s, i % 2 == 0 ? "acme" : "globex")));

        Assert.Single(answers, a => a is not null);
        Assert.Equal(sessions[Array.FindIndex(answers, a => a is not null)], await Credential(id).BoundSession());
    }

    [Fact]
    public async Task An_id_is_issued_once_and_only_in_its_own_form()
    {
        var id = PooledCredentials.NewId();
        Assert.True(await Credential(id).Issue("hash-3", Later));
        Assert.False(await Credential(id).Issue("attacker-hash", Later));
        Assert.Equal("hash-3", await Credential(id).Bind(SessionIds.New(), "acme"));

        foreach (var bad in new[] { "pcr_", SessionIds.New(), "pcr_" + new string('A', 32), PooledCredentials.NewId() + "0" })
        {
            Assert.False(await Credential(bad).Issue("hash", Later));
            Assert.Null(await Credential(bad).Bind(SessionIds.New(), "acme"));
        }
    }

    [Fact]
    public async Task An_expired_or_unknown_credential_binds_to_nobody()
    {
        var expired = PooledCredentials.NewId();
        Assert.True(await Credential(expired).Issue("hash-4", DateTimeOffset.UtcNow.AddSeconds(-1)));
        Assert.Null(await Credential(expired).Bind(SessionIds.New(), "acme"));
        Assert.Null(await Credential(expired).BoundSession());

        var unknown = PooledCredentials.NewId();
        Assert.Null(await Credential(unknown).Bind(SessionIds.New(), "acme"));
        Assert.Null(await Credential(unknown).BoundSession());
    }
}
