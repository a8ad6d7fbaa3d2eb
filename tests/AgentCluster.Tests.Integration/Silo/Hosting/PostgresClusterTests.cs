using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Silo.Hosting;

public sealed class PostgresClusterTests
{
    private static readonly string AdminKey = "agk_test-" + Guid.NewGuid().ToString("N");

    private static Dictionary<string, string> Env => PostgresSilos.Env(AdminKey);

    private static string[] Args(string connectionString) => PostgresSilos.Args(connectionString);

    private const int Unavailable = 7;

    /// <summary>Null while the cluster answers Unavailable (a dead silo not yet declared dead).</summary>
    private static async Task<Dictionary<string, string>?> StatusBySilo(SiloProcess via)
    {
        var result = await Agentctl.RunAsync(via.ApiEndpoint, AdminKey, "cluster", "status", "--json");
        if (result.ExitCode == Unavailable)
            return null;
        Assert.True(result.ExitCode == 0, $"agentctl failed ({result.ExitCode}): {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("silos").EnumerateArray()
            .GroupBy(s => s.GetProperty("address").GetString()!)
            .ToDictionary(g => g.Key, g => g.Last().GetProperty("status").GetString()!);
    }

    private static async Task<Dictionary<string, string>> PollStatus(
        SiloProcess via, Func<Dictionary<string, string>, bool> until, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var status = await StatusBySilo(via);
            if (status is not null && until(status))
                return status;
            if (DateTime.UtcNow > deadline)
                return status ?? [];
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task Two_silos_form_one_cluster_and_after_kill_9_the_survivor_declares_it_dead_and_serves_its_grains()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        var args = Args(db.ConnectionString);
        await using var a = SiloProcess.Start(dir.Sub("a"), args, Env);
        await using var b = SiloProcess.Start(dir.Sub("b"), args, Env);
        await Task.WhenAll(a.WaitHealthyAsync(), b.WaitHealthyAsync());
        var addressA = $"127.0.0.1:{a.SiloPort}";
        var addressB = $"127.0.0.1:{b.SiloPort}";

        var joined = await PollStatus(a, s => s.GetValueOrDefault(addressA) == "Active" && s.GetValueOrDefault(addressB) == "Active",
            TimeSpan.FromSeconds(60));
        Assert.Equal("Active", joined.GetValueOrDefault(addressA));
        Assert.Equal("Active", joined.GetValueOrDefault(addressB));

        // Enough tenants that placement puts some of their grains on b.
        using var clients = new ApiClients(a.ApiEndpoint, AdminKey);
        var names = Enumerable.Range(1, 12).Select(i => $"pg-{i}").ToList();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            await clients.Tenants.CreateTenantAsync(new CreateTenantRequest
            {
                Name = name,
                MaxSessions = i + 1,
                MaxSessionTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(i + 1)),
            });
        }

        b.Kill();
        var after = await PollStatus(a, s => s.GetValueOrDefault(addressB) == "Dead", TimeSpan.FromSeconds(120));
        Assert.Equal("Dead", after.GetValueOrDefault(addressB));
        Assert.Equal("Active", after.GetValueOrDefault(addressA));

        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var tenant = await clients.Tenants.GetTenantAsync(new GetTenantRequest { Name = name });
            Assert.Equal(i + 1, tenant.MaxSessions);
            Assert.Equal(TimeSpan.FromMinutes(i + 1), tenant.MaxSessionTtl.ToTimeSpan());
        }
    }

    [Fact]
    public async Task PostgreSQL_down_at_start_up_gives_a_bounded_retry_then_one_clear_line_and_a_non_zero_exit()
    {
        using var dir = new TempDir();
        var port = FreePort.Next();
        await using var silo = SiloProcess.Start(dir.Sub("down"),
        [
            "--AgentCluster:Storage:Provider=postgres",
            $"--AgentCluster:Storage:ConnectionString=Host=127.0.0.1;Port={port};Username=postgres;Password=hunter2;Database=postgres",
            "--AgentCluster:Storage:StartupTimeout=00:00:04",
            .. ClusterTls.SiloArgs,
        ]);

        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.NotEqual(0, exit);
        var errors = silo.Stderr.Lines.Where(l => l.Trim().Length > 0).ToList();
        var line = Assert.Single(errors);
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.DoesNotContain(silo.Output.Lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(silo.Output.Lines, l => l.Contains("hunter2", StringComparison.Ordinal));
        Assert.True(silo.Output.Lines.Count(l => l.Contains("attempt", StringComparison.OrdinalIgnoreCase)) >= 2,
            $"expected retries to be reported:\n{silo.Output.Tail()}");
    }
}
