using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>
/// How an intercepted request's upstream is checked: the name and chain as any client would,
/// against the system trust store, plus the CAs an admin listed (never "accept anything").
/// </summary>
public static class UpstreamTrust
{
    public static SslClientAuthenticationOptions ClientOptions(string? trustedCaFile)
    {
        if (string.IsNullOrEmpty(trustedCaFile))
            return new SslClientAuthenticationOptions();
        var extra = new X509Certificate2Collection();
        extra.ImportFromPemFile(trustedCaFile);
        if (extra.Count == 0)
            throw new InvalidOperationException($"no certificate in {trustedCaFile}");
        return new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Accepts(certificate, errors, extra),
        };
    }

    private static bool Accepts(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection extra)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        // Only an unknown root may be forgiven, and only for a listed CA; a wrong name never.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
