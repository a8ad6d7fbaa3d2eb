using System.Text.Json.Nodes;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>A session of a desktop image, created through the API like any other, gets the desktop container; a plain one does not.</summary>
[Collection(ComputerNodeCollection.Name)]
public sealed class DesktopSessionTests(ComputerNodeFixture node)
{
    [Fact]
    public async Task A_desktop_image_launches_with_the_desktop_settings_and_a_plain_image_without()
    {
        await node.Main.With(async desktop =>
        {
            var host = (await Inspect(desktop)).HostConfig;

            Assert.True(desktop.Desktop);
            Assert.True(await HasProfile(host, "seccomp-desktop.json"), "the seccomp profile is deploy/seccomp-desktop.json");
            Assert.Equal((SandboxSpec.DesktopPidsLimit, SandboxContainerSpec.DesktopShmSizeBytes, "none"), (host.PidsLimit, host.ShmSize, host.LogConfig.Type));
            Assert.Equal("rw,noexec,nosuid,nodev,size=268435456,mode=0700,uid=1001,gid=1001", host.Tmpfs["/home/agent/.cache"]);
            Assert.True((await Inspect(desktop)).Config.OpenStdin);
        });
        await node.Main.With(async plain =>
        {
            var inspect = await Inspect(plain);
            Assert.False(plain.Desktop);
            Assert.False(inspect.Config.OpenStdin);
            Assert.Equal(SandboxSpec.DefaultPidsLimit, inspect.HostConfig.PidsLimit);
            Assert.True(await HasProfile(inspect.HostConfig, "seccomp-strict.json"), "the seccomp profile is deploy/seccomp-strict.json");
        }, DockerHosts.Image);
    }

    private static async Task<bool> HasProfile(HostConfig host, string file)
    {
        var seccomp = Assert.Single(host.SecurityOpt, o => o.StartsWith("seccomp=", StringComparison.Ordinal));
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", file)));
        return JsonNode.DeepEquals(expected, JsonNode.Parse(seccomp["seccomp=".Length..]));
    }

    private static async Task<ContainerInspectResponse> Inspect(Session session)
    {
        using var docker = new DockerClientConfiguration(new Uri(DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)]))
            .CreateClient();
        return await docker.Containers.InspectContainerAsync(session.ContainerId);
    }
}
