using AgentCluster.Grains.Hosting;
using Orleans.Connections.Security;

namespace AgentCluster.Silo.Hosting;

/// <summary>Mutual TLS on the silo and gateway ports, both ways checked against the deployment CA.</summary>
internal static class ClusterTransport
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterCertificates certificates) =>
        silo.UseTls(certificates.Certificate, tls => RequireDeploymentPeers(tls, certificates));

    /// <summary>An Orleans client of a TLS cluster (tests and benchmarks; the proxy wires its own).</summary>
    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterCertificates certificates) =>
        client.UseTls(certificates.Certificate, tls => RequireDeploymentPeers(tls, certificates));

    private static void RequireDeploymentPeers(TlsOptions tls, ClusterCertificates certificates)
    {
        // No certificate, or one the deployment CA did not issue, and the handshake fails.
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = certificates.IsIssuedByDeployment;
    }
}
