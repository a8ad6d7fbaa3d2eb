namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// The test engines' sandbox firewall, through deploy/host/sandbox-firewall.sh as ./build.sh test
/// runs it (so as root). Tests run one at a time: a fixture whose sandboxes speak to a proxy of its
/// own lets them reach that proxy's port.
/// </summary>
public static class SandboxFirewall
{
    private const string Script = "deploy/host/sandbox-firewall.sh";

    /// <summary>Every engine's sandbox network (made if missing) lets its sandboxes reach only <paramref name="proxyPort"/> on the gateway.</summary>
    public static async Task<IReadOnlyList<(string Bridge, string Gateway)>> AllowProxy(int proxyPort)
    {
        var engines = new List<(string, string)>();
        foreach (var endpoint in DockerHosts.Endpoints)
        {
            var words = (await EngineScripts.Run($"{Script} prepare \"$1\" \"$2\"", endpoint, proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            engines.Add((words[0], words[1]));
        }
        return engines;
    }

    public static Task Remove(string bridge) => EngineScripts.Run($"{Script} remove \"$1\"", bridge);

    public static async Task<bool> InPlace(string bridge, string gateway, int proxyPort) =>
        (await EngineScripts.Try($"{Script} check \"$1\" \"$2\" \"$3\"", bridge, gateway, proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode == 0;
}
