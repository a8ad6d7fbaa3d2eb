using System.Security.Cryptography.X509Certificates;
using AgentCluster.ComputerProtocol;
using AgentCluster.ComputerServer.Browser;

namespace AgentCluster.ComputerServer.Egress;

/// <summary>
/// Chromium's trust in the deployment's proxy CA: an NSS database in the browser's home on tmpfs
/// (Chromium reads <c>$HOME/.pki/nssdb</c> when it starts), made with certutil from the CA's PEM.
/// The CA certificate is public: it comes in the container's environment
/// (<see cref="EnvironmentVariable"/>) or with <c>configure</c>; the proxy credential never does.
/// </summary>
internal sealed class ProxyTrust
{
    public const string EnvironmentVariable = ProxySettings.CaEnvironmentVariable;
    public const string Nickname = "AgentCluster proxy CA";
    private const string CertUtil = "/usr/bin/certutil";

    private readonly SemaphoreSlim _installing = new(1, 1);

    public static string Database => Path.Combine(Chromium.HomeDirectory, ".pki", "nssdb");

    /// <summary>The certificate the database trusts now (its PEM), null before the first install.</summary>
    public string? Installed { get; private set; }

    /// <summary>Makes the database trust exactly <paramref name="pem"/>; false when it already did.</summary>
    public async Task<bool> InstallAsync(string pem, CancellationToken ct)
    {
        pem = pem.Trim();
        Check(pem);
        await _installing.WaitAsync(ct);
        try
        {
            if (Installed == pem)
                return false;
            if (Directory.Exists(Database))
                Directory.Delete(Database, recursive: true);
            Directory.CreateDirectory(Database);
            var file = Path.Combine(Path.GetTempPath(), "proxy-ca.pem");
            await File.WriteAllTextAsync(file, pem + "\n", ct);
            await RunAsync(ct, "-N", "-d", "sql:" + Database, "--empty-password");
            await RunAsync(ct, "-A", "-d", "sql:" + Database, "-n", Nickname, "-t", "C,,", "-i", file);
            Installed = pem;
            return true;
        }
        finally
        {
            _installing.Release();
        }
    }

    /// <summary>One CA certificate in PEM, nothing else: anything other is a bad request, and nothing changes.</summary>
    private static void Check(string pem)
    {
        if (pem.Length > 16 * 1024 || pem.Split("-----BEGIN ").Length != 2 || !pem.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            throw new ArgumentException("the proxy CA must be one PEM certificate");
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException("the proxy CA is not a readable certificate: " + e.Message, e);
        }
        using (certificate)
        {
            if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
                throw new ArgumentException("the proxy CA certificate is not a CA (no basic constraints CA:TRUE)");
        }
    }

    private static async Task RunAsync(CancellationToken ct, params string[] arguments)
    {
        using var process = ChildProcess.Start(CertUtil, arguments, new Dictionary<string, string>());
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"certutil {arguments[0]} exited with code {process.ExitCode}");
    }
}
