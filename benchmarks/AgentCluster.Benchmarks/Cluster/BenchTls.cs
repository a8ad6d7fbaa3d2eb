using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Hosting;

namespace AgentCluster.Benchmarks.Cluster;

/// <summary>
/// The cluster's own TLS in a benchmark: the certificates a script made with
/// deploy/cluster/make-certs.sh (<c>--certs DIR</c>), as production runs, or explicitly none.
/// </summary>
internal sealed record BenchTls(string? Folder)
{
    /// <summary>Explicitly in clear: only to measure what TLS costs against it.</summary>
    public static readonly BenchTls Clear = new((string?)null) { IsClear = true };

    public bool IsClear { get; private init; }

    /// <summary>Without --certs and not <see cref="Clear"/>, the silo refuses to start, as production's would.</summary>
    public ClusterTlsOptions Silo => IsClear ? new() { Disabled = true } : Files("silo");

    public IClientBuilder Apply(IClientBuilder client) => IsClear ? client : client.UseClusterTls(ClusterCertificates.Load(Files("proxy")));

    private ClusterTlsOptions Files(string name) => Folder is null ? new() : new()
    {
        CertificateFile = Path.Combine(Folder, $"{name}.crt"),
        KeyFile = Path.Combine(Folder, $"{name}.key"),
        CaFile = Path.Combine(Folder, "ca.crt"),
    };
}
