using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Storage;

/// <summary>
/// Every persisted grain, written with values no other grain has, then read back by a new silo
/// process on the same database and compared field by field with what was read before.
/// </summary>
public sealed class StateRestartTests
{
    [Fact]
    public async Task On_sqlite_every_persisted_state_reads_back_after_the_node_is_killed_and_started_again()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");
        var world = new PersistedWorld($"sq{Guid.NewGuid():N}"[..8] + "-");
        var args = DockerHosts.FleetArgs().ToArray();
        SortedDictionary<string, string> before;
        try
        {
            await using (var first = SiloProcess.Start(data, args))
            {
                await first.WaitHealthyAsync();
                using var admin = new ApiClients(first.ApiEndpoint, AdminKey(data));
                await world.WriteAsync(admin, first.ApiEndpoint);
                await using var client = await ClusterClient.LocalAsync(first.GatewayPort);
                before = await world.ReadAsync(admin, client.Grains);
                first.Kill();
            }

            await using var second = SiloProcess.Start(data, args);
            await second.WaitHealthyAsync();
            using var again = new ApiClients(second.ApiEndpoint, AdminKey(data));
            await using var reclient = await ClusterClient.LocalAsync(second.GatewayPort);
            var after = await world.ReadAsync(again, reclient.Grains);

            // The embedded node's sessions end with it (a killed node's are Lost at the next start,
            // which revokes their grants and denies what they still waited for); all else is as it was.
            var expected = new SortedDictionary<string, string>(before, StringComparer.Ordinal);
            foreach (var id in world.Sessions)
                expected[$"session {id}"] = With(before[$"session {id}"], ("state", "Lost"), ("reason", "the node it ran on stopped without ending it"));
            foreach (var (_, hash) in world.Grants)
                expected[$"grant {hash[..12]}"] = "allowed=False";
            expected[$"tenant {world.B} live sessions"] = "";
            var pending = world.Approvals[1];
            Assert.Equal("pending", Field(before[$"approval {pending}"], "status"));
            Assert.Equal("denied", Field(after[$"approval {pending}"], "status"));
            expected[$"approval {pending}"] = after[$"approval {pending}"];
            expected[$"tenant {world.B} approvals"] = after[$"tenant {world.B} approvals"];
            Assert.Equal(Without(before[$"approval {pending}"], "status", "decidedBy", "decidedAt", "note", "outcome"),
                Without(after[$"approval {pending}"], "status", "decidedBy", "decidedAt", "note", "outcome"));

            AssertSame(expected, after);
            Assert.Equal(0, await DockerHosts.CountEverywhere($"agentcluster.tenant={world.B}"));
        }
        finally
        {
            await DockerHosts.RemoveAll($"agentcluster.tenant={world.B}");
        }
    }

    [Fact]
    public async Task On_postgres_every_persisted_state_reads_back_after_one_of_two_silos_is_killed()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        var adminKey = "agk_test-" + Guid.NewGuid().ToString("N");
        var cluster = $"test-{Guid.NewGuid():N}";
        var args = PostgresSilos.Args(db.ConnectionString, cluster).Concat(DockerHosts.FleetArgs()).ToArray();
        // A cluster shares one vault key, as production's must.
        var env = new Dictionary<string, string>(PostgresSilos.Env(adminKey))
        {
            ["AGENTCLUSTER_VAULT_KEY"] = "k1=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        var world = new PersistedWorld($"pg{Guid.NewGuid():N}"[..8] + "-");
        try
        {
            await using var a = SiloProcess.Start(dir.Sub("a"), args, env);
            await using var b = SiloProcess.Start(dir.Sub("b"), args, env);
            await Task.WhenAll(a.WaitHealthyAsync(), b.WaitHealthyAsync());
            await using var client = await ClusterClient.PostgresAsync(db.ConnectionString, cluster);
            using var viaA = new ApiClients(a.ApiEndpoint, adminKey);
            await world.WriteAsync(viaA, a.ApiEndpoint);
            var before = await world.ReadAsync(viaA, client.Grains);

            // About half the grains lived on a: the survivor reads them anew from the database.
            a.Kill();
            using var viaB = new ApiClients(b.ApiEndpoint, adminKey);
            AssertSame(before, await Settled(() => world.ReadAsync(viaB, client.Grains)));

            await using var a2 = SiloProcess.Start(dir.Sub("a2"), args, env);
            await a2.WaitHealthyAsync();
            using var viaA2 = new ApiClients(a2.ApiEndpoint, adminKey);
            AssertSame(before, await Settled(() => world.ReadAsync(viaA2, client.Grains)));
        }
        finally
        {
            await DockerHosts.RemoveAll($"agentcluster.tenant={world.B}");
        }
    }

    private static void AssertSame(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        var differences = expected.Where(e => Canonical(actual[e.Key]) != Canonical(e.Value)).Select(e => $"{e.Key}:\n  was  {e.Value}\n  now  {actual[e.Key]}").ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    /// <summary>Reads until the cluster answers every call (a killed silo is declared dead within seconds).</summary>
    private static async Task<SortedDictionary<string, string>> Settled(Func<Task<SortedDictionary<string, string>>> read)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                return await read();
            }
            catch (Exception) when (DateTime.UtcNow < until)
            {
                await Task.Delay(500);
            }
        }
    }

    private static string With(string json, params (string Field, string Value)[] changes)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (var (field, value) in changes)
            node[field] = value;
        return node.ToJsonString();
    }

    private static string Without(string json, params string[] fields)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (var field in fields)
            node.Remove(field);
        return node.ToJsonString();
    }

    /// <summary>JSON with its keys in order, so a changed field compares equal wherever it was put.</summary>
    private static string Canonical(string text) =>
        text.StartsWith('{') ? Sorted(JsonNode.Parse(text))?.ToJsonString() ?? "null" : text;

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        _ => node?.DeepClone(),
    };

    private static string? Field(string json, string field) => JsonNode.Parse(json)![field]?.GetValue<string>();

    private static string AdminKey(string data) => File.ReadAllText(Path.Combine(data, "admin.key")).Trim();
}
