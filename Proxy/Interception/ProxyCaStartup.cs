using System.Security.Cryptography.X509Certificates;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Egress;

namespace AgentCluster.Proxy.Interception;

/// <summary>
/// At start, fetches the deployment's proxy CA from the cluster (which creates it the first
/// time), keeps it for leaf issuance, and writes its public certificate where sandbox images are
/// built to trust it. Without a CA the proxy does not start: interception must not silently fail open to a tunnel.
/// </summary>
public sealed class ProxyCaStartup(IClusterClient cluster, EgressOptions options, TimeProvider clock, ILogger<ProxyCaStartup> logger)
    : IHostedService
{
    private LeafCertificates? _leaves;

    public LeafCertificates Leaves => _leaves ?? throw new InvalidOperationException("the proxy CA is not loaded yet");

    public async Task StartAsync(CancellationToken ct)
    {
        var authority = await cluster.GetGrain<IProxyAuthorityGrain>(IProxyAuthorityGrain.Key).Get().WaitAsync(ct);
        using var loaded = X509Certificate2.CreateFromPem(authority.CertificatePem, authority.PrivateKeyPem);
        _leaves = new LeafCertificates(X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null), clock);
        if (options.CaCertificateFile is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, authority.CertificatePem + "\n", ct);
            logger.LogInformation("Wrote the proxy CA certificate ({Thumbprint}) to {Path}", loaded.Thumbprint, path);
        }
        else
            logger.LogInformation("Loaded the proxy CA certificate ({Thumbprint})", loaded.Thumbprint);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
