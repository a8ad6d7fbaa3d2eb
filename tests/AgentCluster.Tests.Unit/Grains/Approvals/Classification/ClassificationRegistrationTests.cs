using System.Text.Json;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Approvals.Classification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AgentCluster.Grains.Approvals.RiskLevel;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification;

public sealed class ClassificationRegistrationTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddActionClassification(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void Configuration_adds_to_the_defaults_and_reaches_the_sub_classifiers()
    {
        using var services = Services(new()
        {
            ["AgentCluster:Approvals:Actions:stripe.refund"] = "Irreversible",
            ["AgentCluster:Approvals:Actions:crm.add_note"] = "Reversible",
            ["AgentCluster:Approvals:TenantFloors:stripe.charge"] = "RecoverableWithAudit",
            ["AgentCluster:Approvals:Sql:Dialect"] = "PostgreSql",
            ["AgentCluster:Approvals:Http:Rules:0:Host"] = "*.example.com",
            ["AgentCluster:Approvals:Http:Rules:0:Risk"] = "RecoverableWithAudit",
            ["AgentCluster:Approvals:Shell:Allow:0:Command"] = "git status",
        });
        var classifier = services.GetRequiredService<ActionClassifier>();

        Assert.Equal(Reversible, classifier.Classify("browser.click", "{}").Risk);
        Assert.Equal(Irreversible, classifier.Classify("stripe.refund", "{}").Risk);
        Assert.Equal(Reversible, classifier.Classify("crm.add_note", "{}").Risk);
        Assert.Equal(RecoverableWithAudit, classifier.Classify("stripe.charge", "{}",
            new Dictionary<string, RiskLevel> { ["stripe.charge"] = Reversible }).Risk);
        Assert.Equal(Reversible, classifier.Sql("SELECT $$ ; $$").Risk);
        Assert.Equal(RecoverableWithAudit, classifier.Classify("http.request",
            JsonSerializer.Serialize(new { method = "POST", url = "https://api.example.com/x" })).Risk);
        Assert.Equal(Reversible, classifier.Classify("shell.exec", Classifiers.Payload("command", "git status")).Risk);
    }

    [Fact]
    public void Three_sub_classifiers_are_registered_one_per_action()
    {
        using var services = Services([]);
        var actions = services.GetServices<IPayloadClassifier>().Select(c => c.Action).Order(StringComparer.Ordinal);
        Assert.Equal(["db.execute", "http.request", "shell.exec"], actions);
    }

    [Fact]
    public void Adding_a_sub_classifier_is_one_registration()
    {
        using var services = new ServiceCollection()
            .AddActionClassification(new ConfigurationBuilder().Build())
            .AddSingleton<IPayloadClassifier, AlwaysReversible>()
            .BuildServiceProvider();
        var classifier = services.GetRequiredService<ActionClassifier>();
        Assert.Equal(Reversible, classifier.Classify(AlwaysReversible.Name, "{}").Risk);
        Assert.Equal(Irreversible, classifier.Classify(AlwaysReversible.Name, "[]").Risk);
    }

    [Fact]
    public void Two_sub_classifiers_for_one_action_are_refused()
    {
        using var services = new ServiceCollection()
            .AddActionClassification(new ConfigurationBuilder().Build())
            .AddSingleton<IPayloadClassifier, AlwaysReversible>()
            .AddSingleton<IPayloadClassifier, AlwaysReversible>()
            .BuildServiceProvider();
        Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ActionClassifier>());
    }

    [Theory]
    [InlineData("AgentCluster:Approvals:Actions:x.y", "7")]
    [InlineData("AgentCluster:Approvals:Http:Rules:0:Host", "api.*.example.com")]
    [InlineData("AgentCluster:Approvals:Http:Rules:0:PathPrefix", "v1")]
    [InlineData("AgentCluster:Approvals:Sql:AllowedFunctions:0", "pg_catalog.pg_sleep")]
    [InlineData("AgentCluster:Approvals:Shell:Allow:0:Args:0", "-l")]
    public void A_configuration_that_could_be_misread_is_refused(string key, string value)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.Contains(":Http:", StringComparison.Ordinal))
            settings.TryAdd("AgentCluster:Approvals:Http:Rules:0:Host", "api.example.com");
        using var services = Services(settings);
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ClassificationOptions>>().Value);
    }

    private sealed class AlwaysReversible : IPayloadClassifier
    {
        public const string Name = "test.noop";

        public string Action => Name;

        public ActionClassification Classify(JsonElement payload) => ActionClassification.Reversible("test");
    }
}
