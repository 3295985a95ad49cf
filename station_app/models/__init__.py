"""All models, imported here so Alembic and the app see one complete MetaData."""

from station_app.db.base import Base
from station_app.models.criterion_review import CriterionRemapReview
from station_app.models.document import DocumentEvidence, DocumentHazard, DocumentSerial, IssuedDocument
from station_app.models.hazard import (
    ContractorReview,
    ContractorReviewItem,
    Hazard,
    HazardAttachment,
    HazardEvent,
    HazardListing,
)
from station_app.models.inspection import (
    AttachmentBlob,
    Campaign,
    Inspection,
    InspectionAttachment,
    InspectionCheckItem,
    InspectionFinding,
    InspectionInspector,
    InspectionPresence,
    Jgj59Entry,
    Jgj59Sheet,
)
from station_app.models.insurance import InsuranceAttachment, InsuranceClaim, InsurancePolicy, InsuranceVisit
from station_app.models.monthly_report import MonthlyReport, MonthlyReportFile
from station_app.models.penalty_case import (
    CaseClock,
    CaseDocument,
    CaseEvidence,
    CaseReview,
    CaseStageRecord,
    PenaltyCase,
)
from station_app.models.project import Project, ProjectParty, ProjectPartyPerson
from station_app.models.reference import ReferenceRow
from station_app.models.registry import Enterprise, EnterpriseQualification, Grid, Person
from station_app.models.safety_fee import (
    InspectionFeeCheck,
    SafetyFeeBasis,
    SafetyFeePayment,
    SafetyFeeSubcontract,
    SafetyFeeUsage,
)
from station_app.models.supervision import (
    CoverageRound,
    GridLeaderTerm,
    RandomDraw,
    RandomDrawItem,
    SupervisionAssignment,
    SupervisionPlan,
    SupervisorConflict,
)
from station_app.models.user import AuditEntry, Station, User

__all__ = [
    "AttachmentBlob",
    "AuditEntry",
    "Base",
    "Campaign",
    "CaseClock",
    "CaseDocument",
    "CaseEvidence",
    "CaseReview",
    "CaseStageRecord",
    "ContractorReview",
    "ContractorReviewItem",
    "CoverageRound",
    "CriterionRemapReview",
    "DocumentEvidence",
    "DocumentHazard",
    "DocumentSerial",
    "Enterprise",
    "EnterpriseQualification",
    "Grid",
    "GridLeaderTerm",
    "Hazard",
    "HazardAttachment",
    "HazardEvent",
    "HazardListing",
    "Inspection",
    "InspectionAttachment",
    "InspectionCheckItem",
    "InspectionFeeCheck",
    "InspectionFinding",
    "InspectionInspector",
    "InspectionPresence",
    "InsuranceAttachment",
    "InsuranceClaim",
    "InsurancePolicy",
    "InsuranceVisit",
    "IssuedDocument",
    "Jgj59Entry",
    "Jgj59Sheet",
    "MonthlyReport",
    "MonthlyReportFile",
    "PenaltyCase",
    "Person",
    "Project",
    "ProjectParty",
    "ProjectPartyPerson",
    "RandomDraw",
    "RandomDrawItem",
    "ReferenceRow",
    "SafetyFeeBasis",
    "SafetyFeePayment",
    "SafetyFeeSubcontract",
    "SafetyFeeUsage",
    "Station",
    "SupervisionAssignment",
    "SupervisionPlan",
    "SupervisorConflict",
    "User",
]
