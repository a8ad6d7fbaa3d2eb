using AgentCluster.Api.V1;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Proxy;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// The egress node, its hosts keeping a warm pool: every session that fits is served from it,
/// and its sandbox speaks to the proxy with the credential its container was made with.
/// </summary>
public sealed class PooledEgressNodeFixture : EgressNodeFixture
{
    public const int PoolSize = 2;

    protected override IEnumerable<string> SiloArgs => DockerHosts.WarmPoolArgs(DockerHosts.Image, PoolSize);

    protected override string ExpectedUser(Session session) =>
        throw new InvalidOperationException("a pooled session's user is checked by PooledSession");

    /// <summary>
    /// The idle pool containers too: they carry no tenant, so the base's removal misses them. The
    /// silo is gone by then and cannot refill, and no other test runs at the same time.
    /// </summary>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await DockerHosts.RemoveAll(SandboxLabels.Pool);
    }

    /// <summary>Every host's pool full, then its idle containers' credentials, read where their sandboxes read them.</summary>
    public async Task<Dictionary<string, (string User, string Secret)>> IdleCredentials()
    {
        var hosts = DockerHosts.Endpoints.Select((_, i) => Grains.GetGrain<IDockerHostGrain>($"h{i}")).ToList();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await Task.WhenAll(hosts.Select(h => h.GetWarmPool()))).Any(p => p.Count < PoolSize))
        {
            Assert.True(DateTime.UtcNow < until, "the warm pools did not fill:\n" + Silo.Output.Tail());
            await Task.Delay(200);
        }
        var credentials = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        for (var i = 0; i < hosts.Count; i++)
        {
            foreach (var warm in await hosts[i].GetWarmPool())
                credentials[warm.ContainerId] = await Credential(DockerHosts.Endpoints[i], warm.ContainerId);
        }
        return credentials;
    }

    /// <summary>A session that must have claimed one of <paramref name="idle"/>, with that container's credential.</summary>
    public async Task<SandboxSession> PooledSession(IReadOnlyDictionary<string, (string User, string Secret)> idle, string tenant, params string[] allowHosts)
    {
        var session = await Admin.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Tenant = tenant, Image = DockerHosts.Image, Ttl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
            MaxGrantTtl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(120)), AllowGrants = { "echo:read" },
            AllowHosts = { allowHosts },
        });
        Assert.Equal("Ready", session.State);
        Assert.True(idle.TryGetValue(session.ContainerId, out var credential), $"session {session.Id} did not get a pooled container:\n{Silo.Output.Tail()}");
        Assert.True(PooledCredentials.IsValid(credential.User), credential.User);
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
        Assert.Equal(credential, await Credential(endpoint, session.ContainerId));
        return new SandboxSession(session, ProxyUrl: await ProxyUrl(endpoint, session.ContainerId), credential.User, credential.Secret);
    }

    public Task<RawResponse> Get(string user, string secret) =>
        Send($"GET http://127.0.0.1:{Upstream.Port}/pooled HTTP/1.1\r\nHost: 127.0.0.1:{Upstream.Port}\r\n"
            + $"Proxy-Authorization: Basic {RawHttp.Basic(user, secret)}\r\nConnection: close\r\n\r\n");

    private static async Task<(string User, string Secret)> Credential(string endpoint, string container)
    {
        var userinfo = new Uri(await ProxyUrl(endpoint, container)).UserInfo.Split(':');
        return (userinfo[0], userinfo[1]);
    }

    private static async Task<string> ProxyUrl(string endpoint, string container)
    {
        var (code, env) = await DockerHosts.Docker(endpoint, "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", container);
        Assert.True(code == 0, env);
        return env.Split('\n').Single(l => l.StartsWith("HTTP_PROXY=", StringComparison.Ordinal))["HTTP_PROXY=".Length..];
    }
}
