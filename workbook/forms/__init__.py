"""Widget forms for the workbook's records, and the list that shows saved ones.

A form holds widget state and raises events; it never touches the store. On Save it hands the
validated record to its ``on_submit`` callbacks, and the pages wire those callbacks to the store.

`base` holds `Form` and the helpers every form uses; `records` the forms for communities, people,
gives and help; `owner` the form for the owner's name; `resolution` the resolution form with its
give ideas; `reflections` the reflection and year-end review forms; `lists` the `RecordList` and the
`Confirmation` it asks before a delete.
"""

from .base import (
    FORM_WIDTH,
    INPUT_WIDTH,
    LABEL_WIDTH,
    NO_COMMUNITY,
    NO_RESOLUTION,
    NOBODY,
    NONE,
    Choices,
    Form,
)
from .lists import Confirmation, RecordList
from .owner import OwnerForm
from .records import (
    CIRCLE_CHOICES,
    GIVE_KIND_CHOICES,
    OTHER_KIND,
    CommunityForm,
    HelpForm,
    LogForm,
    PauseForm,
    PersonForm,
)
from .reflections import REVIEW_PROMPTS, STAGE_CHOICES, ReflectionForm, ReviewForm
from .resolution import PER_CHOICES, ResolutionForm

__all__ = [
    "CIRCLE_CHOICES",
    "FORM_WIDTH",
    "GIVE_KIND_CHOICES",
    "INPUT_WIDTH",
    "LABEL_WIDTH",
    "NO_COMMUNITY",
    "NO_RESOLUTION",
    "NOBODY",
    "NONE",
    "OTHER_KIND",
    "OwnerForm",
    "PER_CHOICES",
    "REVIEW_PROMPTS",
    "STAGE_CHOICES",
    "Choices",
    "CommunityForm",
    "Confirmation",
    "Form",
    "HelpForm",
    "LogForm",
    "PauseForm",
    "PersonForm",
    "RecordList",
    "ReflectionForm",
    "ResolutionForm",
    "ReviewForm",
]
