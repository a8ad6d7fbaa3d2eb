using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AgentCluster.Grains.Hosting;

/// <summary>
/// This node's certificate and the deployment CA, loaded from <see cref="ClusterTlsOptions"/>.
/// Silos and clients wire it into Orleans' TLS; this type decides which peers are accepted.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    public const string Missing =
        $"a PostgreSQL cluster runs its silo and gateway ports over mutual TLS: set {ClusterTlsOptions.Section}:CertificateFile " +
        $"(PKCS#12, or PEM with {ClusterTlsOptions.Section}:KeyFile; a password through {ClusterTlsOptions.Section}:PasswordEnv) " +
        $"and {ClusterTlsOptions.Section}:CaFile (the deployment CA; deploy/cluster/make-certs.sh makes both), " +
        $"or {ClusterTlsOptions.Section}:Disabled=true, which lets anything that reaches those ports join the cluster and call its grains";

    public const string DisabledWarning =
        $"{ClusterTlsOptions.Section}:Disabled=true: silo and gateway traffic is in clear and unauthenticated; " +
        "anything that reaches the silo or gateway port can join the cluster and call any grain";

    private readonly X509Certificate2Collection _authorities;

    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        _authorities = authorities;
    }

    /// <summary>The certificate this node shows its peers, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>True when a PostgreSQL cluster was told to run without TLS (warn about it).</summary>
    public static bool IsDisabled(AgentClusterOptions options) => options.Storage.IsPostgres && options.Cluster.Tls.Disabled;

    /// <summary>
    /// What a node of <paramref name="options"/> uses: null for the embedded node (loopback only)
    /// and for an explicitly disabled cluster. Throws <see cref="ClusterTlsException"/> rather than
    /// let a PostgreSQL cluster start open.
    /// </summary>
    public static ClusterCertificates? ForCluster(AgentClusterOptions options)
    {
        if (!options.Storage.IsPostgres || options.Cluster.Tls.Disabled)
            return null;
        var tls = options.Cluster.Tls;
        if (string.IsNullOrWhiteSpace(tls.CertificateFile) || string.IsNullOrWhiteSpace(tls.CaFile))
            throw new ClusterTlsException(Missing);
        return Load(tls);
    }

    public static ClusterCertificates Load(ClusterTlsOptions tls) =>
        Create(ClusterCertificateFiles.LoadIdentity(tls), ClusterCertificateFiles.LoadAuthorities(tls.CaFile));

    /// <summary>From certificates at hand (it owns them from here); refuses one its own peers would refuse.</summary>
    public static ClusterCertificates Create(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        var created = new ClusterCertificates(certificate, authorities);
        if (created.ChainProblem(certificate, null) is not { } problem)
            return created;
        var refused = new ClusterTlsException(
            $"{ClusterTlsOptions.Section}:CertificateFile ({certificate.Subject}) is not issued by the CA in {ClusterTlsOptions.Section}:CaFile: {problem}");
        created.Dispose();
        throw refused;
    }

    /// <summary>
    /// Orleans' remote certificate check: the peer's certificate must chain to the deployment CA.
    /// The machine's trust store and the platform's verdict (<paramref name="errors"/>) do not
    /// count: a certificate any public CA issued is no member of this cluster, and peers are
    /// reached by address, so there is no host name to match.
    /// </summary>
    public bool IsIssuedByDeployment(X509Certificate2 peer, X509Chain? presented, SslPolicyErrors errors) =>
        ChainProblem(peer, presented) is null;

    private string? ChainProblem(X509Certificate2 peer, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Intermediates the peer sent may complete the path; only the CA file is trusted as a root.
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        if (chain.Build(peer))
            return null;
        return string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var authority in _authorities)
            authority.Dispose();
    }
}

/// <summary>Cluster TLS settings that are missing or unusable: the node does not start.</summary>
public sealed class ClusterTlsException(string message, Exception? inner = null) : Exception(message, inner);
