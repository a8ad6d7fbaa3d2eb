using AgentCluster.Grains.Hosting;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace AgentCluster.Proxy.Hosting;

internal static class ClusterGateway
{
    /// <summary>
    /// Finds the silos the same way they find each other, from the same storage settings, and on
    /// PostgreSQL talks to their gateways over mutual TLS.
    /// </summary>
    public static IClientBuilder UseAgentClusterGateway(this IClientBuilder client, AgentClusterOptions options)
    {
        if (options.Storage.IsPostgres)
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = options.Storage.ConnectionString;
            });
            client.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
            // The gateway accepts only the deployment's certificates, and the proxy only a gateway that shows one.
            if (ClusterCertificates.ForCluster(options) is { } certificates)
            {
                client.UseTls(certificates.Certificate, tls =>
                {
                    tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                    tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
                    tls.RemoteCertificateValidation = certificates.IsIssuedByDeployment;
                });
            }
        }
        else
        {
            client.UseLocalhostClustering(options.Ports.Gateway, options.ServiceId, options.ClusterId);
        }

        client.UseConnectionRetryFilter<GatewayRetry>();
        return client;
    }
}

/// <summary>The proxy may start before the silo; keep trying for a while, saying so.</summary>
internal sealed class GatewayRetry(ILogger<GatewayRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);
    private readonly DateTime _started = DateTime.UtcNow;
    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - _started > GiveUpAfter)
            return false;
        logger.LogWarning("Cluster not reachable yet (attempt {Attempt}): {Reason}", ++_attempt, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return true;
    }
}
