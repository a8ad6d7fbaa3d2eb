using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Npgsql;

namespace AgentCluster.Tests.Integration.Client.Commands.Audit;

/// <summary>A superuser who gets past the triggers is still caught by `agentctl audit verify`.</summary>
public sealed class AuditTamperTests
{
    private const int AuditBroken = 11;
    private static readonly string AdminKey = "agk_test-" + Guid.NewGuid().ToString("N");

    private static async Task<(PostgresDatabase Db, TempDir Dir, SiloProcess Silo)> SiloWithHistory(int keys)
    {
        var db = await PostgresDatabase.CreateAsync();
        var dir = new TempDir();
        var silo = SiloProcess.Start(dir.Sub("a"), PostgresSilos.Args(db.ConnectionString), PostgresSilos.Env(AdminKey));
        await silo.WaitHealthyAsync();
        using var clients = new ApiClients(silo.ApiEndpoint, AdminKey);
        await clients.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "tamper" });
        for (var i = 0; i < keys; i++)
            await clients.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "tamper", Roles = { "orchestrator" } });
        return (db, dir, silo);
    }

    /// <summary>What a superuser can do: switch triggers off for the session and edit the table.</summary>
    private static async Task AsSuperuser(PostgresDatabase db, string sql)
    {
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand($"SET session_replication_role = replica; {sql}", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<AgentctlResult> Verify(SiloProcess silo, params string[] extra) =>
        Agentctl.RunAsync(silo.ApiEndpoint, AdminKey, ["audit", "verify", "--tenant", "tamper", .. extra]);

    [Fact]
    public async Task An_edit_of_one_rows_detail_is_detected_at_exactly_that_seq()
    {
        var (db, dir, silo) = await SiloWithHistory(12);
        await using (db)
        using (dir)
        await using (silo)
        {
            var before = await Verify(silo);
            Assert.True(before.ExitCode == 0, before.Stderr);
            Assert.Contains("13 rows checked", before.Stdout);

            await AsSuperuser(db, """UPDATE agentcluster_audit SET detail = '{"roles":"admin"}' WHERE tenant = 'tamper' AND seq = 7""");

            var after = await Verify(silo);
            Assert.Equal(AuditBroken, after.ExitCode);
            var line = Assert.Single(after.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("tamper", line);
            Assert.Contains("seq 7", line);
        }
    }

    [Fact]
    public async Task Deleting_the_last_ten_rows_is_detected_against_an_anchor_taken_before()
    {
        var (db, dir, silo) = await SiloWithHistory(20);
        await using (db)
        using (dir)
        await using (silo)
        {
            var head = await Agentctl.RunAsync(silo.ApiEndpoint, AdminKey, "audit", "head", "--tenant", "tamper", "--json");
            Assert.True(head.ExitCode == 0, head.Stderr);
            var anchorRow = JsonDocument.Parse(head.Stdout).RootElement.GetProperty("heads")[0];
            var anchor = $"{anchorRow.GetProperty("seq").GetInt64()}:{anchorRow.GetProperty("hash").GetString()}";
            Assert.Equal(21, anchorRow.GetProperty("seq").GetInt64());
            Assert.True((await Verify(silo, "--anchor", anchor)).ExitCode == 0);

            await AsSuperuser(db, "DELETE FROM agentcluster_audit WHERE tenant = 'tamper' AND seq > 11");

            // Without the anchor a truncated chain is still a valid chain: that is why the anchor exists.
            var plain = await Verify(silo);
            Assert.Equal(0, plain.ExitCode);
            Assert.Contains("11 rows checked", plain.Stdout);

            var anchored = await Verify(silo, "--anchor", anchor);
            Assert.Equal(AuditBroken, anchored.ExitCode);
            Assert.Contains("21", anchored.Stderr);
        }
    }
}
