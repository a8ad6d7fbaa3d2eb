namespace AgentCluster.Grains.Hosting;

/// <summary>The <c>AgentCluster:Cluster</c> section.</summary>
public sealed class ClusterNetworkOptions
{
    public ClusterTlsOptions Tls { get; set; } = new();
}

/// <summary>
/// <c>AgentCluster:Cluster:Tls</c>: mutual TLS on the silo and gateway ports of a PostgreSQL
/// cluster, so that reaching a port (from a sandbox, say) is not enough to join or call grains.
/// Every silo and proxy shows a certificate of the deployment's CA and accepts only peers that do.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = "AgentCluster:Cluster:Tls";

    /// <summary>This node's certificate: PKCS#12 (<c>.pfx</c>), or PEM when <see cref="KeyFile"/> is set.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>The PEM private key of a PEM <see cref="CertificateFile"/>.</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>
    /// The name of the environment variable that holds the PKCS#12 (or encrypted PEM key)
    /// password, so that the password itself is in no file and no command line.
    /// </summary>
    public string PasswordEnv { get; set; } = "";

    /// <summary>PEM file of the deployment CA: a peer is accepted only when its certificate chains to it.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>Unsafe: a PostgreSQL cluster without TLS, open to anything that reaches its ports.</summary>
    public bool Disabled { get; set; }
}
