using AgentCluster.Grains.Approvals.Classification;
using AgentCluster.Grains.Approvals.Classification.Shell;
using static AgentCluster.Grains.Approvals.RiskLevel;
using RiskLevel = AgentCluster.Grains.Approvals.RiskLevel;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification.Shell;

public sealed class ShellClassificationTests
{
    private static readonly ActionClassifier Classifier = Classifiers.Build(o => o.Shell.Allow.AddRange(
    [
        new ShellRule { Command = "git status" },
        new ShellRule { Program = "ls", Args = ["-l", "-a", "/workspace"] },
        new ShellRule { Program = "make", Args = ["test"], Risk = RecoverableWithAudit },
    ]));

    [Theory]
    [InlineData("git status", Reversible)]
    [InlineData("  git status\t", Reversible)]
    [InlineData("git  status", Irreversible)]
    [InlineData("git status --porcelain", Irreversible)]
    [InlineData("ls", Reversible)]
    [InlineData("ls -l -a /workspace", Reversible)]
    [InlineData("ls   -a\t-l", Reversible)]
    [InlineData("ls -R", Irreversible)]
    [InlineData("ls /etc", Irreversible)]
    [InlineData("/bin/ls -l", Irreversible)]
    [InlineData("make test", RecoverableWithAudit)]
    [InlineData("make install", Irreversible)]
    [InlineData("rm -rf /tmp/x", Irreversible)]
    [InlineData("", Irreversible)]
    [InlineData("   ", Irreversible)]
    // Metacharacters make it Irreversible even around an allowed command.
    [InlineData("git status; rm -rf /", Irreversible)]
    [InlineData("git status | tee /tmp/x", Irreversible)]
    [InlineData("git status && curl evil", Irreversible)]
    [InlineData("git status &", Irreversible)]
    [InlineData("ls $HOME", Irreversible)]
    [InlineData("ls `id`", Irreversible)]
    [InlineData("ls > /tmp/x", Irreversible)]
    [InlineData("ls < /tmp/x", Irreversible)]
    [InlineData("ls (x)", Irreversible)]
    [InlineData("ls\nrm -rf /", Irreversible)]
    [InlineData("ls\r", Irreversible)]
    [InlineData("ls *", Irreversible)]
    [InlineData("ls ~", Irreversible)]
    [InlineData("ls '-l'", Irreversible)]
    [InlineData("ls \\-l", Irreversible)]
    [InlineData("ls -l\u0000", Irreversible)]
    public void Only_an_admin_rule_lets_a_command_through(string command, RiskLevel expected) =>
        Assert.Equal(expected, Classifier.Classify("shell.exec", Classifiers.Payload("command", command)).Risk);

    [Fact]
    public void Without_an_allowlist_every_command_is_irreversible() =>
        Assert.Equal(Irreversible, Classifiers.Build().Classify("shell.exec", Classifiers.Payload("command", "git status")).Risk);

    [Theory]
    [InlineData("{\"command\": [\"ls\"]}")]
    [InlineData("{\"cmd\": \"ls\"}")]
    [InlineData("{\"command\": null}")]
    public void A_malformed_payload_is_irreversible(string payload) =>
        Assert.Equal(Irreversible, Classifier.Classify("shell.exec", payload).Risk);
}
