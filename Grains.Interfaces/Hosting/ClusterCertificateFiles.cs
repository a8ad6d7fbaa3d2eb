using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentCluster.Grains.Hosting;

/// <summary>Reads <see cref="ClusterTlsOptions"/>' files, turning every failure into one line that names the setting.</summary>
internal static class ClusterCertificateFiles
{
    public static X509Certificate2 LoadIdentity(ClusterTlsOptions tls)
    {
        var password = Password(tls);
        var setting = $"{ClusterTlsOptions.Section}:CertificateFile";
        var certificate = Read(setting, tls.CertificateFile, () => tls.KeyFile.Length == 0
            ? X509CertificateLoader.LoadPkcs12FromFile(tls.CertificateFile, password)
            : Pkcs12RoundTrip(password is null
                ? X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile)
                : X509Certificate2.CreateFromEncryptedPemFile(tls.CertificateFile, password, tls.KeyFile)));
        if (certificate.HasPrivateKey)
            return certificate;
        certificate.Dispose();
        throw new ClusterTlsException($"{setting} {tls.CertificateFile} has no private key");
    }

    public static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        var setting = $"{ClusterTlsOptions.Section}:CaFile";
        var authorities = Read(setting, caFile, () =>
        {
            var read = new X509Certificate2Collection();
            read.ImportFromPemFile(caFile);
            return read;
        });
        return authorities.Count > 0 ? authorities : throw new ClusterTlsException($"{setting} {caFile} holds no PEM certificate");
    }

    private static string? Password(ClusterTlsOptions tls)
    {
        if (tls.PasswordEnv.Length == 0)
            return null;
        return Environment.GetEnvironmentVariable(tls.PasswordEnv) is { Length: > 0 } password
            ? password
            : throw new ClusterTlsException(
                $"{ClusterTlsOptions.Section}:PasswordEnv names {tls.PasswordEnv}, which is not set in the environment");
    }

    // A key read from PEM is ephemeral; through PKCS#12 it is one every platform's TLS can use.
    private static X509Certificate2 Pkcs12RoundTrip(X509Certificate2 pem)
    {
        using (pem)
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static T Read<T>(string setting, string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // The message names the file and what is wrong with it, never the password.
            throw new ClusterTlsException($"{setting} {path} cannot be read: {e.Message}", e);
        }
    }
}
