using System.Diagnostics;
using System.Security.Cryptography;
using AgentCluster.Grains.Hosting;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// The deployment CA and certificates of every PostgreSQL cluster this test run starts, made once
/// by <c>deploy/cluster/make-certs.sh</c> as an operator would, and removed when the run ends.
/// Silos show a PEM certificate; proxies a PKCS#12 one whose password is in the environment.
/// </summary>
public static class ClusterTls
{
    public const string PasswordVariable = "AGENTCLUSTER_TEST_PFX_PASSWORD";

    private static readonly Lazy<string> Made = new(Make);

    public static string Folder => Made.Value;

    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>What a silo of a test cluster is configured with.</summary>
    public static ClusterTlsOptions Silo => new()
    {
        CertificateFile = File("silo.crt"), KeyFile = File("silo.key"), CaFile = File("ca.crt"),
    };

    public static string[] SiloArgs =>
    [
        $"--AgentCluster:Cluster:Tls:CertificateFile={File("silo.crt")}",
        $"--AgentCluster:Cluster:Tls:KeyFile={File("silo.key")}",
        $"--AgentCluster:Cluster:Tls:CaFile={File("ca.crt")}",
    ];

    /// <summary>A proxy process's switches; the password reaches it through the inherited environment.</summary>
    public static string[] ProxyArgs =>
    [
        $"--AgentCluster:Cluster:Tls:CertificateFile={File("proxy.pfx")}",
        $"--AgentCluster:Cluster:Tls:PasswordEnv={PasswordVariable}",
        $"--AgentCluster:Cluster:Tls:CaFile={File("ca.crt")}",
    ];

    /// <summary>A test's own Orleans client of a test cluster, with the proxy's certificate.</summary>
    public static ClusterCertificates Client() => ClusterCertificates.Load(new ClusterTlsOptions
    {
        CertificateFile = File("proxy.crt"), KeyFile = File("proxy.key"), CaFile = File("ca.crt"),
    });

    private static string Make()
    {
        var folder = Directory.CreateTempSubdirectory("agentcluster-certs-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Environment.SetEnvironmentVariable(PasswordVariable, password);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(RepoPaths.Root, "deploy", "cluster", "make-certs.sh"), folder, "silo", "proxy" })
            start.ArgumentList.Add(arg);
        start.Environment["PFX_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? folder
            : throw new InvalidOperationException($"make-certs.sh failed ({process.ExitCode}): {stderr.Result}");
    }
}
