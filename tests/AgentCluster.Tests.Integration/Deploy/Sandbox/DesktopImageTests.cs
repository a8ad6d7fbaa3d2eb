using System.Text.Json.Nodes;
using AgentCluster.Tests.Integration.Grains.Computer;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Deploy.Sandbox;

/// <summary>What deploy/sandbox/build-desktop-image.sh leaves in, and out of, the desktop image.</summary>
public sealed class DesktopImageTests
{
    private static readonly string Endpoint = DockerHosts.Endpoints[0];
    private static readonly string Image = Environment.GetEnvironmentVariable(DesktopContainer.ImageVariable) is { Length: > 0 } image
        ? image
        : throw new InvalidOperationException($"{DesktopContainer.ImageVariable} is not set");

    private static Task<(int ExitCode, string Output)> Run(string program, params string[] args) =>
        DockerHosts.Docker(Endpoint, ["run", "--rm", "--network", "none", "--entrypoint", program, Image, .. args]);

    [Fact]
    public async Task No_file_has_a_setuid_or_setgid_bit()
    {
        var (_, output) = await Run("/usr/bin/find", "/", "-xdev", "-perm", "/6000", "-printf", "SUID %p\n");
        Assert.DoesNotContain("SUID ", output);
        Assert.Contains("Permission denied", output);
    }

    [Theory]
    [InlineData("/usr/bin/dpkg")]
    [InlineData("/usr/bin/apt-get")]
    [InlineData("/usr/bin/bash")]
    [InlineData("/usr/bin/perl")]
    [InlineData("/usr/bin/su")]
    [InlineData("/usr/bin/chromium")]
    [InlineData("/etc/chromium.d")]
    public async Task What_the_agent_could_use_to_change_the_image_is_not_there(string path)
    {
        var (code, output) = await Run("/usr/bin/ls", "-d", path);
        Assert.True(code != 0, $"{path} is in the image: {output}");
        Assert.Contains("No such file", output);
    }

    [Fact]
    public async Task The_managed_policies_turn_off_devtools_passwords_files_and_downloads()
    {
        var (code, output) = await Run("/usr/bin/cat", "/etc/chromium/policies/managed/agentcluster.json");
        Assert.Equal(0, code);
        var policies = JsonNode.Parse(output)!;
        Assert.Equal(2, policies["DeveloperToolsAvailability"]!.GetValue<int>());
        Assert.False(policies["PasswordManagerEnabled"]!.GetValue<bool>());
        Assert.False(policies["AllowFileSelectionDialogs"]!.GetValue<bool>());
        Assert.Equal(3, policies["DownloadRestrictions"]!.GetValue<int>());
        Assert.Contains("file://*", policies["URLBlocklist"]!.AsArray().Select(u => u!.GetValue<string>()));
    }

    [Fact]
    public async Task The_package_versions_are_labels()
    {
        var (code, output) = await DockerHosts.Docker(Endpoint, "image", "inspect", "-f", "{{json .Config.Labels}}", Image);
        Assert.Equal(0, code);
        var labels = JsonNode.Parse(output)!.AsObject();
        foreach (var package in new[] { "chromium", "xvfb", "tini", "fonts-liberation", "libxtst6" })
            Assert.Matches(@"^\S*\d\S*$", labels[$"org.agentcluster.package.{package}"]!.GetValue<string>());
        Assert.Equal("1", labels["org.agentcluster.desktop"]!.GetValue<string>());
    }
}
