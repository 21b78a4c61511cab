using Caisson.Cli.Containers;
using Caisson.Core.Errors;

namespace Caisson.Tests.Cli.Containers;

public sealed class ContainerNamesTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("my_app.v2-blue")]
    [InlineData("9lives")]
    public void AcceptsDockersNames(string name) => ContainerNames.Validate(name);

    [Theory]
    [InlineData("-web")]
    [InlineData("_web")]
    [InlineData("web/1")]
    [InlineData("we b")]
    [InlineData("")]
    public void RefusesOthers(string name)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ContainerNames.Validate(name));

        Assert.Equal($"invalid container name \"{name}\": use letters, digits, '_', '.' and '-', starting with a letter or digit", error.Message);
    }

    [Fact]
    public void GeneratedNamesAreValidAndVaried()
    {
        var random = new Random(42);

        var names = Enumerable.Range(0, 200).Select(_ => ContainerNames.Generate(random)).ToList();

        Assert.All(names, name => Assert.Matches("^[a-z]+-[a-z]+$", name));
        Assert.All(names, ContainerNames.Validate);
        Assert.True(names.Distinct().Count() > 150);
    }

    [Fact]
    public void PodNamesHaveNoUnderscore() => Assert.Equal("my-app", ContainerNames.PodNameFor("my_app"));
}
