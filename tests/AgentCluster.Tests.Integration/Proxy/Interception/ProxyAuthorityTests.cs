using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentCluster.Grains.Egress;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentCluster.Tests.Integration.Proxy.Interception;

/// <summary>The deployment's proxy CA: made once, kept encrypted in the vault, the same for every proxy, its certificate exported.</summary>
public sealed class ProxyAuthorityTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Fact]
    public async Task The_proxy_exports_the_clusters_ca_certificate_and_no_key()
    {
        var exported = await File.ReadAllTextAsync(node.CaCertificateFile);
        var authority = await node.Grains.GetGrain<IProxyAuthorityGrain>(IProxyAuthorityGrain.Key).Get();

        Assert.DoesNotContain("PRIVATE KEY", exported, StringComparison.Ordinal);
        using var certificate = X509Certificate2.CreateFromPem(exported);
        using var fromCluster = X509Certificate2.CreateFromPem(authority.CertificatePem);
        Assert.Equal(fromCluster.Thumbprint, certificate.Thumbprint);
        Assert.True(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.False(certificate.HasPrivateKey);
    }

    [Fact]
    public async Task A_second_proxy_gets_the_same_ca()
    {
        using var dir = new TempDir();
        var file = dir.Sub("second-ca.pem");
        await using (await ProxyProcess.StartAsync(node.Silo.GatewayPort,
            [.. EgressNodeFixture.LoopbackClients, $"--AgentCluster:Egress:CaCertificateFile={file}"]))
        {
            Assert.Equal(await File.ReadAllTextAsync(node.CaCertificateFile), await File.ReadAllTextAsync(file));
        }
    }

    [Fact]
    public async Task The_vault_holds_the_ca_only_encrypted_under_the_system_tenant()
    {
        var authority = await node.Grains.GetGrain<IProxyAuthorityGrain>(IProxyAuthorityGrain.Key).Get();
        var keyBody = authority.PrivateKeyPem.Split('\n')[1];

        await using var db = new SqliteConnection($"Data Source={Path.Combine(node.DataDir, "agentcluster.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var read = new SqliteCommand(
            "SELECT ciphertext FROM agentcluster_secrets WHERE tenant = 'system' AND resource = 'proxy.ca'", db);
        var cipher = Assert.IsType<byte[]>(await read.ExecuteScalarAsync());
        var text = Encoding.UTF8.GetString(cipher);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain(keyBody, text, StringComparison.Ordinal);
        Assert.DoesNotContain(keyBody, Convert.ToBase64String(cipher), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_the_ca_is_audited_once_and_loading_it_again_is_not()
    {
        await using (await ProxyProcess.StartAsync(node.Silo.GatewayPort, EgressNodeFixture.LoopbackClients))
        {
        }

        var rows = (await BrokerAudit.Rows(node.DataDir, "system")).Where(r => r.Kind == "proxy.ca_created").ToList();
        var row = Assert.Single(rows);
        Assert.DoesNotContain("PRIVATE", row.Detail, StringComparison.Ordinal);
    }
}
