namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>Finds the built silo, proxy and agentctl of this checkout, in the test's own configuration.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";

    public static string SiloDll => Built("Silo", "AgentCluster.Silo.dll");

    public static string ProxyDll => Built("Proxy", "AgentCluster.Proxy.dll");

    public static string AgentctlDll => Built("Client", "agentctl.dll");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is not built; run ./build.sh build (or dotnet build -c {Configuration}) first");
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("AGENTCLUSTER_REPO") is { Length: > 0 } fromEnv)
            return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentCluster.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (AgentCluster.sln); set AGENTCLUSTER_REPO");
    }
}
