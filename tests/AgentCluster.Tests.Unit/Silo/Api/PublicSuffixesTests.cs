using AgentCluster.Silo.Api;

namespace AgentCluster.Tests.Unit.Silo.Api;

public sealed class PublicSuffixesTests
{
    private static readonly PublicSuffixes Embedded = PublicSuffixes.Embedded();

    [Theory]
    [InlineData("com", "com")]
    [InlineData("uk", "uk")]
    [InlineData("co.uk", "co.uk")]
    [InlineData("github.io", "github.io")]
    [InlineData("herokuapp.com", "herokuapp.com")]
    [InlineData("CO.UK.", "co.uk")]
    [InlineData("anything.ck", "anything.ck")]
    [InlineData("compute.amazonaws.com", "*.compute.amazonaws.com")]
    public void A_pattern_over_a_suffix_or_a_wildcard_base_covers_it(string name, string suffix) =>
        Assert.Equal(suffix, Embedded.CoveredBy(name));

    [Fact]
    public void A_name_with_a_suffix_below_it_covers_that_suffix()
    {
        var covered = Embedded.CoveredBy("amazonaws.com");
        Assert.NotNull(covered);
        Assert.EndsWith(".amazonaws.com", covered);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("api.example.co.uk")]
    [InlineData("pages.github.io")]
    [InlineData("www.ck")]
    [InlineData("stripe.com")]
    public void A_registrable_name_or_an_exception_covers_none(string name) => Assert.Null(Embedded.CoveredBy(name));

    [Fact]
    public void Wildcards_exceptions_and_internationalised_rules_follow_the_lists_algorithm()
    {
        var list = new PublicSuffixes(["// comment", "", "*.kobe.jp", "!city.kobe.jp", "公司.cn", "blogspot.com  trailing"], "test");
        Assert.True(list.IsSuffix("x.kobe.jp"));
        Assert.False(list.IsSuffix("city.kobe.jp"));
        Assert.True(list.IsSuffix("xn--55qx5d.cn"));
        Assert.True(list.IsSuffix("blogspot.com"));
        Assert.Equal("*.kobe.jp", list.CoveredBy("kobe.jp"));
        Assert.Null(list.CoveredBy("shop.x.kobe.jp"));
        Assert.Equal(4, list.Count);
    }

    [Fact]
    public void The_full_list_is_read_from_its_file_and_a_missing_one_falls_back_to_the_embedded_subset()
    {
        var dir = Directory.CreateTempSubdirectory("psl-");
        try
        {
            var file = Path.Combine(dir.FullName, "list.dat");
            File.WriteAllLines(file, ["// the full list, shortened", "example-suffix.net"]);
            var full = PublicSuffixes.Load(file);
            Assert.Equal(file, full.Source);
            Assert.Equal("example-suffix.net", full.CoveredBy("example-suffix.net"));
            Assert.Null(full.CoveredBy("github.io"));

            var fallback = PublicSuffixes.Load(Path.Combine(dir.FullName, "missing.dat"));
            Assert.Equal("embedded", fallback.Source);
            Assert.Equal("github.io", fallback.CoveredBy("github.io"));
            Assert.Equal("embedded", PublicSuffixes.Load("").Source);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
