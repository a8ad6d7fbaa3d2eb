using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet;
using Microsoft.Net.Http.Client;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// Docker.DotNet's handler honours HTTP(S)_PROXY by default, which would send engine calls
/// (and for tcp, the client certificate) through whatever proxy the silo's environment names;
/// this turns that off and, for tcp, adds mutual TLS against the folder's own CA.
/// </summary>
internal sealed class EngineCredentials(string? tlsDir) : Docker.DotNet.Credentials
{
    private readonly X509Certificate2? _client = tlsDir is null
        ? null
        : X509Certificate2.CreateFromPemFile(Path.Combine(tlsDir, "cert.pem"), Path.Combine(tlsDir, "key.pem"));

    private readonly X509Certificate2? _ca = tlsDir is null
        ? null
        : X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(tlsDir, "ca.pem")));

    public override bool IsTlsCredentials() => _client is not null;

    public override HttpMessageHandler GetHandler(HttpMessageHandler innerHandler)
    {
        var handler = (ManagedHandler)innerHandler;
        handler.UseProxy = false;
        if (_client is not null)
        {
            handler.ClientCertificates = [_client];
            handler.ServerCertificateValidationCallback = ValidateServer;
        }
        return handler;
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || _ca is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(new X509Certificate2(certificate));
    }

    public override void Dispose()
    {
        _client?.Dispose();
        _ca?.Dispose();
    }
}
