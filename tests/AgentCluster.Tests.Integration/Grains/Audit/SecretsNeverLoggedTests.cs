using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace AgentCluster.Tests.Integration.Grains.Audit;

public sealed class SecretsNeverLoggedTests
{
    [Fact]
    public async Task No_key_value_appears_in_any_log_line_or_audit_row_of_a_node_that_handled_it()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");
        var secrets = new List<string>();
        await using (var silo = SiloProcess.Start(data, ["--Logging:LogLevel:Default=Debug"]))
        {
            await silo.WaitHealthyAsync();
            var admin = (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim();
            secrets.Add(admin);
            using var clients = new ApiClients(silo.ApiEndpoint, admin);
            await clients.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "secretive" });
            var created = await clients.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "secretive", Roles = { "admin", "auditor" } });
            secrets.Add(created.Secret);

            using var asTenant = new ApiClients(silo.ApiEndpoint, created.Secret);
            await asTenant.Keys.ListKeysAsync(new ListKeysRequest { Tenant = "secretive" });
            await Assert.ThrowsAsync<RpcException>(() => asTenant.Tenants.GetTenantAsync(new GetTenantRequest { Name = "other" }).ResponseAsync);
            await clients.Keys.RevokeKeyAsync(new RevokeKeyRequest { Id = created.Key.Id });
            await Assert.ThrowsAsync<RpcException>(() => asTenant.Keys.ListKeysAsync(new ListKeysRequest()).ResponseAsync);

            const string wrong = "agk_wrongKeyThatSomeoneTriedToUse1234567890";
            secrets.Add(wrong);
            using var asWrong = new ApiClients(silo.ApiEndpoint, wrong);
            await Assert.ThrowsAsync<RpcException>(() => asWrong.Tenants.ListTenantsAsync(new()).ResponseAsync);
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new("Bearer", wrong);
            await http.GetAsync($"{silo.AdminEndpoint}/dashboard/");

            await silo.StopAsync();
            Assert.True(silo.Output.Lines.Count > 50, "the silo should have logged at debug level");
            foreach (var secret in secrets)
                Assert.DoesNotContain(silo.Output.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }

        await using var db = new SqliteConnection($"Data Source={Path.Combine(data, "agentcluster.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var command = new SqliteCommand("SELECT * FROM agentcluster_audit", db);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            for (var c = 0; c < reader.FieldCount; c++)
            {
                var value = reader.GetValue(c).ToString()!;
                Assert.DoesNotContain(secrets, s => value.Contains(s, StringComparison.Ordinal));
            }
        }
        Assert.True(rows >= 4, $"expected the bootstrap, tenant and key events in the audit, found {rows} rows");
    }
}
