using AgentCluster.Grains.Egress;
using AgentCluster.Silo.Hosting;
using AgentCluster.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace AgentCluster.Tests.Integration.Silo.Hosting;

/// <summary>
/// A PostgreSQL cluster's silo and gateway ports at the wire: reaching a port is not enough to call
/// a grain (issue 13, item 6). The grain the strangers try is the proxy CA, which hands out its
/// private key to whoever the cluster lets in.
/// </summary>
public sealed class ClusterTlsTests(TlsClusterFixture cluster, ITestOutputHelper output) : IClassFixture<TlsClusterFixture>
{
    public static TheoryData<string> Strangers => ["plain", "tls-without-certificate", "self-signed", "same-names-other-ca"];

    [Fact]
    public async Task Two_TLS_silos_form_one_cluster_and_a_call_through_one_gateway_reaches_the_other_silo()
    {
        await using var client = await cluster.ClientAt(cluster.A, c => c.UseClusterTls(ClusterTls.Client()));
        var management = client.Grains.GetGrain<IManagementGrain>(0);
        await Eventually.True(async () => (await management.GetHosts(onlyActive: true)).Count == 2,
            "both silos to be active members", TimeSpan.FromSeconds(60));

        var silos = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        // Every silo answers for itself, so B's statistics cross the silo port from A's side.
        var statistics = await management.GetRuntimeStatistics(silos);

        Assert.Contains(silos, s => s.Endpoint.Port == cluster.B.SiloPort);
        Assert.Equal(2, statistics.Length);
        Assert.All(statistics, Assert.NotNull);
        var authority = await client.Grains.GetGrain<IProxyAuthorityGrain>(IProxyAuthorityGrain.Key).Get();
        Assert.Contains("BEGIN CERTIFICATE", authority.CertificatePem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Strangers))]
    public async Task A_client_without_a_certificate_of_the_deployment_CA_cannot_call_any_grain_at_the_gateway(string stranger)
    {
        var refusalsBefore = Refusals(cluster.A);

        var refused = await Record.ExceptionAsync(async () =>
        {
            await using var client = await cluster.ClientAt(cluster.A, c =>
            {
                StrangerCertificates.Configure(c, stranger);
                // One attempt says it: Orleans' default retries for three minutes.
                c.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            });
            await client.Grains.GetGrain<IProxyAuthorityGrain>(IProxyAuthorityGrain.Key).Get();
        });

        Assert.NotNull(refused);
        output.WriteLine($"{stranger}: {refused}");
        Assert.IsNotType<ArgumentException>(refused);
        // The refusal is the silo's TLS layer's, not some other failure of the client.
        await Eventually.True(() => Task.FromResult(Refusals(cluster.A) > refusalsBefore),
            $"the silo to log a failed TLS authentication (client said: {refused.GetType().Name}: {refused.Message})");
    }

    [Fact]
    public async Task A_proxy_process_with_the_deployment_certificate_joins_through_the_gateway_and_gets_the_proxy_CA()
    {
        using var dir = new TempDir();
        var caFile = dir.Sub("proxy-ca.pem");
        await using var proxy = await ProxyProcess.StartAsync(cluster.A.GatewayPort,
        [
            "--AgentCluster:Storage:Provider=postgres",
            $"--AgentCluster:Storage:ConnectionString={cluster.Db.ConnectionString}",
            $"--AgentCluster:ClusterId={cluster.ClusterId}",
            $"--AgentCluster:Egress:CaCertificateFile={caFile}",
            .. ClusterTls.ProxyArgs,
        ]);
        await using var client = await cluster.ClientAt(cluster.B, c => c.UseClusterTls(ClusterTls.Client()));

        var authority = await client.Grains.GetGrain<IProxyAuthorityGrain>(IProxyAuthorityGrain.Key).Get();

        // The proxy listens only once that grain answered it through a gateway.
        Assert.False(proxy.HasExited);
        Assert.Equal(authority.CertificatePem.Trim(), (await File.ReadAllTextAsync(caFile)).Trim());
    }

    private static int Refusals(SiloProcess silo) => silo.Output.Lines.Count(l => l.Contains("Authentication failed", StringComparison.Ordinal));
}
