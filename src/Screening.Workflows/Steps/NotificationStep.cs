using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>notification</c>: a message recorded in the outbox for the host to deliver.</summary>
public sealed record NotificationSettings(string Audience, DynamicValue? Jurisdiction, LocalizedValue Subject, LocalizedValue? Body) : StepSettings;

/// <summary>Sends a message to one of the definition's roles (of a jurisdiction, or all), then continues.</summary>
public sealed class NotificationStep : StepType<NotificationSettings>
{
    public override string Type => "notification";

    public override string Summary => "a message to a role the definition names, recorded in the outbox";

    public override IReadOnlyList<string> SettingNames => ["audience", "jurisdiction", "subject", "body"];

    protected override NotificationSettings? ReadSettings(SettingsReader reader)
    {
        var audience = reader.OptionalString("audience");
        var roles = reader.Vocabulary.Roles;
        if (audience is null || (roles is not null && !roles.Contains(audience)))
        {
            reader.Problem("audience", audience is null ? ProblemCodes.MissingField : ProblemCodes.InvalidField,
                $"Notification '{reader.Step.Id}' needs an 'audience'" + (roles is null ? "." : $": {string.Join(", ", roles)}."));
            return null;
        }

        var subject = reader.Text("subject", required: true);
        return subject is null ? null : new NotificationSettings(audience, reader.Value("jurisdiction", false), subject, reader.Text("body", false));
    }

    protected override void Execute(StepContext context, NotificationSettings settings)
    {
        context.Notify(new Notification(
            settings.Audience,
            context.EvaluateString(settings.Jurisdiction),
            context.Evaluate(settings.Subject) ?? LocalizedText.Of(context.Step.DisplayName),
            context.Evaluate(settings.Body),
            context.Step.Id));
        context.Continue(StepTypes.Done);
    }
}
