using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentCluster.Grains.Hosting;

namespace AgentCluster.Tests.Unit.Grains.Interfaces.Hosting;

public sealed class ClusterCertificatesTests
{
    private static AgentClusterOptions Postgres(ClusterTlsOptions tls) => new()
    {
        Storage = { Provider = StorageOptions.Postgres, ConnectionString = "Host=127.0.0.1" },
        Cluster = { Tls = tls },
    };

    [Fact]
    public void A_PostgreSQL_node_without_TLS_settings_refuses_to_start_and_says_which_settings_to_give()
    {
        var refused = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.ForCluster(Postgres(new())));

        Assert.Contains("AgentCluster:Cluster:Tls:CertificateFile", refused.Message, StringComparison.Ordinal);
        Assert.Contains("AgentCluster:Cluster:Tls:KeyFile", refused.Message, StringComparison.Ordinal);
        Assert.Contains("AgentCluster:Cluster:Tls:CaFile", refused.Message, StringComparison.Ordinal);
        Assert.Contains("AgentCluster:Cluster:Tls:Disabled=true", refused.Message, StringComparison.Ordinal);
        Assert.Contains("deploy/cluster/make-certs.sh", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_the_deployment_CA_is_not_enough()
    {
        Assert.Throws<ClusterTlsException>(() => ClusterCertificates.ForCluster(Postgres(new() { CertificateFile = "/etc/silo.pfx" })));
    }

    [Fact]
    public void The_embedded_node_keeps_loopback_without_TLS_and_without_a_warning()
    {
        var embedded = new AgentClusterOptions();

        Assert.Null(ClusterCertificates.ForCluster(embedded));
        Assert.False(ClusterCertificates.IsDisabled(embedded));
    }

    [Fact]
    public void Only_an_explicit_Disabled_runs_a_PostgreSQL_cluster_in_clear_and_it_is_reported()
    {
        var open = Postgres(new() { Disabled = true });

        Assert.Null(ClusterCertificates.ForCluster(open));
        Assert.True(ClusterCertificates.IsDisabled(open));
    }

    [Fact]
    public void A_password_variable_that_is_not_set_is_named_before_any_file_is_read()
    {
        var variable = $"AGENTCLUSTER_TEST_UNSET_{Guid.NewGuid():N}";

        var refused = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.ForCluster(Postgres(new()
        {
            CertificateFile = "/nonexistent/silo.pfx", CaFile = "/nonexistent/ca.crt", PasswordEnv = variable,
        })));

        Assert.Contains(variable, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/nonexistent", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_is_accepted_only_when_its_certificate_chains_to_the_deployment_CA_whatever_its_names()
    {
        using var ca = Made.Authority();
        using var otherCa = Made.Authority();
        using var certificates = ClusterCertificates.Create(Made.Leaf("silo", ca), [Made.Copy(ca)]);
        using var peer = Made.Leaf("proxy", ca);
        using var selfSigned = Made.Leaf("proxy", null);
        using var sameNamesOtherCa = Made.Leaf("proxy", otherCa);

        Assert.True(certificates.IsIssuedByDeployment(peer, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(certificates.IsIssuedByDeployment(selfSigned, null, SslPolicyErrors.None));
        Assert.False(certificates.IsIssuedByDeployment(sameNamesOtherCa, null, SslPolicyErrors.None));
        Assert.False(certificates.IsIssuedByDeployment(Made.Copy(otherCa), null, SslPolicyErrors.None));
    }

    [Fact]
    public void A_node_whose_own_certificate_another_CA_issued_refuses_to_start()
    {
        using var ca = Made.Authority();
        using var otherCa = Made.Authority();

        var refused = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.Create(Made.Leaf("silo", otherCa), [Made.Copy(ca)]));

        Assert.Contains("is not issued by the CA in AgentCluster:Cluster:Tls:CaFile", refused.Message, StringComparison.Ordinal);
    }

    private static class Made
    {
        private static readonly (DateTimeOffset From, DateTimeOffset To) Valid = (DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));

        /// <summary>Every CA made here has the same name, as two deployments' make-certs.sh CAs do.</summary>
        public static X509Certificate2 Authority()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=AgentCluster deployment CA", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            return request.CreateSelfSigned(Valid.From, Valid.To);
        }

        public static X509Certificate2 Leaf(string name, X509Certificate2? issuer)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            if (issuer is null)
                return request.CreateSelfSigned(Valid.From, Valid.To);
            using var signed = request.Create(issuer, Valid.From, Valid.To, RandomNumberGenerator.GetBytes(8));
            return signed.CopyWithPrivateKey(key);
        }

        /// <summary>The public certificate only, as a CA file holds it.</summary>
        public static X509Certificate2 Copy(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}
