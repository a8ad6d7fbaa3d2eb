using System.Diagnostics;
using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Storage.Secrets;

/// <summary>
/// <c>secrets rotate-key</c> on the embedded node: with nothing to move it says how to add a key here,
/// and following exactly that (its own example command, a restart) rotates every secret to the new key.
/// </summary>
public sealed class KeyRotationTests
{
    [Fact]
    public async Task Rotating_without_a_new_key_says_how_to_add_one_and_doing_so_rotates()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");
        var silo = SiloProcess.Start(data);
        try
        {
            await silo.WaitHealthyAsync();
            var key = (await File.ReadAllTextAsync(Path.Combine(data, "admin.key"))).Trim();
            using (var admin = new ApiClients(silo.ApiEndpoint, key))
            {
                await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "rot" });
                await admin.Secrets.PutSecretAsync(new PutSecretRequest
                {
                    Tenant = "rot", Resource = "github", Hosts = { "api.github.com" }, Actions = { "read" },
                    Header = "Authorization", Format = "token {secret}", Value = "ghp_RotateMeTopSecret1234",
                });
            }

            var nothing = await Agentctl.RunAsync(silo.ApiEndpoint, key, "secrets", "rotate-key");
            Assert.True(nothing.ExitCode == 0, nothing.Stderr);
            var lines = nothing.Stdout.Trim().Split('\n');
            Assert.Matches(@"^active key local-[0-9a-f]{8}; 0 secrets re-encrypted$", lines[0]);
            var keyFile = Path.Combine(data, "vault.key");
            Assert.StartsWith("nothing to re-encrypt: every secret is already under the active key local-", lines[1], StringComparison.Ordinal);
            Assert.Contains($"append a line NEWID=BASE64 of 32 random bytes to {keyFile}", lines[1], StringComparison.Ordinal);
            var example = lines[1][(lines[1].IndexOf("e.g. ", StringComparison.Ordinal) + "e.g. ".Length)..lines[1].IndexOf("; restart", StringComparison.Ordinal)];

            await Bash(example);
            await silo.StopAsync();
            await silo.DisposeAsync();
            silo = SiloProcess.Start(data);
            await silo.WaitHealthyAsync();

            var rotated = await Agentctl.RunAsync(silo.ApiEndpoint, key, "secrets", "rotate-key");
            Assert.True(rotated.ExitCode == 0, rotated.Stderr);
            Assert.Equal(
                ["active key k2; 1 secret re-encrypted", $"every secret is now under k2; an older key may be dropped from {keyFile} once every silo runs with this one"],
                rotated.Stdout.Trim().Split('\n'));
            var list = await Agentctl.RunAsync(silo.ApiEndpoint, key, "--json", "secrets", "list", "--tenant", "rot");
            using var secrets = JsonDocument.Parse(list.Stdout);
            Assert.Equal("k2", secrets.RootElement.GetProperty("secrets")[0].GetProperty("keyId").GetString());
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    private static async Task Bash(string command)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardError = true })!;
        var stderr = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, $"`{command}` failed: {await stderr}");
    }
}
